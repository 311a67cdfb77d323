package io.steward.ctl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code edit-config [SCOPE] -s key=value -p guc=value --apply FILE --replace FILE --force}: the
 * new configuration is computed here, shown as a diff of the YAML and, once confirmed, sent as a
 * merge patch conditional on the version read ({@code If-Match}), so a concurrent change is
 * refused rather than overwritten. With no change on the command line it opens {@code $EDITOR}.
 */
@Command(name = "edit-config", description = "Edit the dynamic configuration of a scope")
final class EditConfigCommand extends CtlCommand {

    @Mixin
    SharedOptions.ScopeArgument scopeArgument;

    @Option(names = {"-q", "--quiet"}, description = "Do not show changes")
    boolean quiet;

    @Option(names = {"-s", "--set"}, paramLabel = "KEY=VALUE",
            description = "Set a value (dotted key, YAML value, null deletes); repeatable")
    List<String> sets = new ArrayList<>();

    @Option(names = {"-p", "--pg"}, paramLabel = "GUC=VALUE",
            description = "Set a PostgreSQL parameter (shorthand for -s postgresql.parameters.GUC=VALUE); repeatable")
    List<String> parameters = new ArrayList<>();

    @Option(names = "--apply", paramLabel = "FILE", description = "Merge a YAML patch from FILE (- for stdin)")
    String applyFile;

    @Option(names = "--replace", paramLabel = "FILE",
            description = "Replace the whole configuration with FILE (- for stdin)")
    String replaceFile;

    @Mixin
    SharedOptions.ForceOption forceOption;

    @Override
    public Integer call() {
        String scope = scope(scopeArgument.name);
        StewardApi.VersionedConfig current = api().config(scope, group);
        Map<String, Object> before = ConfigEdits.merge(Map.of(), current.config());
        Map<String, Object> after = before;
        boolean requested = false;
        if (replaceFile != null) {
            after = ConfigEdits.merge(Map.of(), document(replaceFile));
            requested = true;
        }
        if (applyFile != null) {
            after = ConfigEdits.merge(after, document(applyFile));
            requested = true;
        }
        if (!sets.isEmpty() || !parameters.isEmpty()) {
            List<String> pairs = new ArrayList<>(sets);
            parameters.forEach(pair -> pairs.add("postgresql.parameters." + pair.stripLeading()));
            after = ConfigEdits.set(after, pairs);
            requested = true;
        }
        if (!requested) {
            String edited = edit(scope, Json.yaml(before));
            after = ConfigEdits.merge(Map.of(), asMap(Json.parseYaml(edited, "the edited configuration")));
        }
        if (after.equals(before)) {
            if (!quiet) {
                out().println("Not changed");
            }
            return 0;
        }
        if (!quiet) {
            out().println(String.join("\n", LineDiff.unified(Json.yaml(before), Json.yaml(after),
                    scope + " (version " + current.version() + ")", scope + " (edited)")));
        }
        if (("-".equals(applyFile) || "-".equals(replaceFile)) && !forceOption.force) {
            out().println("Use --force option to apply changes");
            return 0;
        }
        if (!forceOption.force && !prompter().confirm("Apply these changes?")) {
            return 0;
        }
        Map<String, Object> patch = ConfigEdits.mergePatch(before, after);
        DeciderClient.Reply reply = api().patchConfig(scope, group, patch, current.version());
        if (reply.status() == 409) {
            err().println("Config modification aborted due to concurrent changes: " + reply.message());
            return CtlException.REFUSED;
        }
        if (!reply.isSuccess()) {
            return refused("Configuration change", reply);
        }
        out().println("Configuration changed (" + reply.message() + ")");
        return 0;
    }

    private Map<String, Object> document(String file) {
        String text;
        try {
            text = "-".equals(file) ? root.environment().in().lines().collect(Collectors.joining("\n"))
                    : Files.readString(Path.of(file));
        } catch (IOException e) {
            throw CtlException.usage("Cannot read " + file + ": " + e.getMessage());
        }
        return asMap(Json.parseYaml(text, "-".equals(file) ? "stdin" : file));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object document) {
        if (document == null) {
            return Map.of();
        }
        if (!(document instanceof Map<?, ?> map)) {
            throw CtlException.refused("The configuration must be a YAML mapping, got: " + document);
        }
        return (Map<String, Object>) map;
    }

    /** patronictl's {@code invoke_editor}: $EDITOR, else editor or vi, on a temporary copy. */
    private String edit(String scope, String text) {
        String editor = root.environment().variable("EDITOR");
        if (editor == null) {
            editor = onPath("editor") != null ? "editor" : onPath("vi") != null ? "vi" : null;
        }
        if (editor == null) {
            throw CtlException.usage("EDITOR environment variable is not set. editor or vi are not available");
        }
        Path file = null;
        try {
            file = Files.createTempFile(scope + "-config-", ".yaml");
            Files.writeString(file, text);
            int status = root.environment().editor().edit(editor, file);
            if (status != 0) {
                throw CtlException.refused("Editor exited with return code " + status);
            }
            return Files.readString(file);
        } catch (IOException e) {
            throw CtlException.refused("Cannot run the editor: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CtlException.refused("Interrupted");
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    err().println("Could not delete " + file + ": " + e.getMessage());
                }
            }
        }
    }

    private Path onPath(String program) {
        String path = root.environment().variable("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
