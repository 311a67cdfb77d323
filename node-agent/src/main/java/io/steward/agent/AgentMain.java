package io.steward.agent;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.steward.agent.config.ConfigLoader;

/**
 * The node agent's command line, Patroni's habits kept:
 *
 * <pre>
 * steward-agent CONFIG.yml                    run the agent for the member the file describes
 * steward-agent --validate-config CONFIG.yml  check a file and exit 0 (valid) or 1, listing every problem
 * </pre>
 */
public final class AgentMain {

    private AgentMain() {
    }

    public static void main(String[] args) {
        int code;
        try {
            code = run(args, System.getenv(), System.out, System.err);
        } catch (Exception | LinkageError e) {
            System.err.println("steward-agent cannot start: " + e.getMessage());
            e.printStackTrace(System.err);
            code = 1;
        }
        if (code != 0 || (args.length > 0 && args[0].equals("--validate-config"))) {
            System.exit(code);
        }
    }

    /** Runs the command line; returns the exit code (the agent itself keeps running and returns 0). */
    static int run(String[] args, Map<String, String> environment, PrintStream out, PrintStream err) throws Exception {
        if (args.length == 2 && args[0].equals("--validate-config")) {
            return validate(Path.of(args[1]), environment, out);
        }
        if (args.length == 1 && !args[0].startsWith("-")) {
            NodeAgentApplication.start(Path.of(args[0]), environment, err);
            return 0;
        }
        err.println("usage: steward-agent CONFIG.yml");
        err.println("       steward-agent --validate-config CONFIG.yml");
        return 2;
    }

    private static int validate(Path file, Map<String, String> environment, PrintStream out) {
        if (!Files.isReadable(file)) {
            out.println("ERROR   " + file + ": cannot be read");
            return 1;
        }
        ConfigLoader.Loaded loaded = ConfigLoader.load(file, environment, false);
        out.print(loaded.problems().report());
        out.println(loaded.isValid() ? file + ": valid" + (loaded.problems().warnings().isEmpty() ? ""
                : " (" + loaded.problems().warnings().size() + " warnings)")
                : file + ": invalid (" + loaded.problems().errors().size() + " errors)");
        return loaded.isValid() ? 0 : 1;
    }
}
