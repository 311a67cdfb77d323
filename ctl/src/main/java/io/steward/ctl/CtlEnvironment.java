package io.steward.ctl;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Random;

/**
 * Everything stewardctl takes from the world outside the command line: the terminal, the process
 * environment, who is asking, the clock, sleeping and the editor. {@link #system()} is the real
 * one; tests build their own, so no command reads a global.
 *
 * @param env     environment variables ({@code STEWARDCTL_CONFIG}, {@code STEWARD_DECIDER}, {@code EDITOR})
 * @param home    the user's home directory, for the default configuration file
 * @param user    the login name, for {@code X-Steward-Actor}
 * @param host    this machine's name, for {@code X-Steward-Actor}
 * @param clock   now, and the zone that times without an offset are read in
 * @param sleeper waits between polls (watch, {@code --wait})
 * @param editor  opens a file in the user's editor ({@code edit-config} without changes on the command line)
 */
record CtlEnvironment(BufferedReader in, PrintWriter out, PrintWriter err, Map<String, String> env, Path home,
                      String user, String host, Clock clock, Sleeper sleeper, Editor editor, Random random) {

    /** Waits; false when the wait was interrupted, which ends a watch or poll loop. */
    interface Sleeper {
        boolean sleep(Duration duration);
    }

    /** Edits {@code file} in place; returns the editor's exit status. */
    interface Editor {
        int edit(String command, Path file) throws IOException, InterruptedException;
    }

    /** The process's own terminal, environment and clock. */
    static CtlEnvironment system() {
        return new CtlEnvironment(
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)),
                new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true),
                new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true),
                System.getenv(), Path.of(System.getProperty("user.home")), System.getProperty("user.name"),
                hostName(), Clock.systemDefaultZone(), CtlEnvironment::sleep,
                CtlEnvironment::runEditor, new Random());
    }

    /** The value of an environment variable, or null when it is unset or blank. */
    String variable(String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? null : value.strip();
    }

    /** {@code X-Steward-Actor}: who is asking, as the audit shows it. */
    String actor() {
        return "stewardctl:" + user + "@" + host;
    }

    private static String hostName() {
        String name = System.getenv("HOSTNAME");
        if (name != null && !name.isBlank()) {
            return name;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    private static boolean sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs the editor through the shell, so {@code EDITOR="code --wait"} works as it does for git. */
    private static int runEditor(String command, Path file) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("sh", "-c", command + " \"$1\"", "sh", file.toString()).inheritIO().start();
        return process.waitFor();
    }
}
