package io.steward.agent.config;

import java.util.ArrayList;
import java.util.List;

/**
 * What is wrong with a configuration (errors: the agent will not start) and what is questionable
 * (warnings: unknown keys, keys Steward does not implement, values replaced by defaults). Every
 * message starts with the key path it is about.
 */
public final class ConfigProblems {

    private final List<String> errors = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    public void error(String path, String message) {
        errors.add(path + ": " + message);
    }

    public void warning(String path, String message) {
        warnings.add(path + ": " + message);
    }

    public List<String> errors() {
        return List.copyOf(errors);
    }

    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    public boolean hasErrors() {
        return !errors.isEmpty();
    }

    /** Errors then warnings, one per line, each with its severity. */
    public String report() {
        StringBuilder out = new StringBuilder();
        errors.forEach(e -> out.append("ERROR   ").append(e).append('\n'));
        warnings.forEach(w -> out.append("WARNING ").append(w).append('\n'));
        return out.toString();
    }
}
