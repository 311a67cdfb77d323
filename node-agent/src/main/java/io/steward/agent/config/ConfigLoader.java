package io.steward.agent.config;

import java.nio.file.Path;
import java.util.Map;

/**
 * Loads a member's configuration in Patroni's layers: the YAML file (or a whole document in
 * {@code STEWARD_CONFIGURATION} / {@code PATRONI_CONFIGURATION}), then environment variables over
 * it. The dynamic configuration from the log is applied later, by the agent, under both.
 */
public final class ConfigLoader {

    /** The OS user PostgreSQL runs as when the agent runs as root; {@code STEWARD_POSTGRES_USER} overrides. */
    public static final String DEFAULT_OS_USER = "postgres";

    /** A configuration (null when the YAML cannot be read) and everything wrong or questionable about it. */
    public record Loaded(AgentConfig config, ConfigProblems problems) {
        public boolean isValid() {
            return !problems.hasErrors();
        }
    }

    private ConfigLoader() {
    }

    /**
     * @param checkMachine whether paths must exist here: true when starting, false when validating
     *                     a file meant for another host
     */
    public static Loaded load(Path file, Map<String, String> environment, boolean checkMachine) {
        ConfigProblems problems = new ConfigProblems();
        String whole = EnvironmentOverrides.wholeConfiguration(environment);
        Map<String, Object> tree = whole != null ? YamlTree.read(whole, "configuration from the environment", problems)
                : YamlTree.read(file, problems);
        if (problems.hasErrors()) {
            return new Loaded(null, problems); // unreadable: listing every key as missing would bury the cause
        }
        EnvironmentOverrides.apply(tree, environment);
        String osUser = environment.getOrDefault("STEWARD_POSTGRES_USER", DEFAULT_OS_USER);
        AgentConfig config = new AgentConfigReader(tree, problems, checkMachine).read(osUser);
        return new Loaded(config, problems);
    }
}
