package io.steward.ctl;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Runs stewardctl in-process as user alice on host ops1, at 2026-11-21 10:00 in a +01:00 zone,
 * with the stdin, environment and editor a test gives, and captures what it printed.
 */
final class CtlRunner {

    /** What one run printed and returned. */
    record Result(int exit, String out, String err) {
    }

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-21T10:00:00Z"), ZoneOffset.ofHours(1));

    private final Path home;
    private final Map<String, String> env = new HashMap<>();
    private final List<Duration> sleeps = new ArrayList<>();
    private int sleepsAllowed = Integer.MAX_VALUE;
    private CtlEnvironment.Editor editor = (command, file) -> 0;
    private final List<String> prefix = new ArrayList<>();

    CtlRunner(Path home) {
        this.home = home;
    }

    /** Puts {@code --decider URL} before every command line. */
    CtlRunner decider(java.net.URI url) {
        prefix.add("--decider");
        prefix.add(url.toString());
        return this;
    }

    CtlRunner env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** After {@code count} sleeps the next one reports an interrupt (ends a watch). */
    CtlRunner sleepsAllowed(int count) {
        sleepsAllowed = count;
        return this;
    }

    CtlRunner editor(CtlEnvironment.Editor editor) {
        this.editor = editor;
        return this;
    }

    List<Duration> sleeps() {
        return List.copyOf(sleeps);
    }

    Result run(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CtlEnvironment environment = new CtlEnvironment(new BufferedReader(new StringReader(stdin)),
                new PrintWriter(out, true), new PrintWriter(err, true), Map.copyOf(env), home, "alice", "ops1", CLOCK,
                duration -> {
                    if (sleeps.size() >= sleepsAllowed) {
                        return false;
                    }
                    sleeps.add(duration);
                    return true;
                }, editor, new Random(7));
        List<String> all = new ArrayList<>(prefix);
        all.addAll(List.of(args));
        int exit = StewardCtl.execute(environment, all.toArray(String[]::new));
        return new Result(exit, out.toString(), err.toString());
    }

    /** Writes {@code text} to a file under the home directory; returns its path. */
    Path file(String name, String text) throws IOException {
        Path file = home.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return file;
    }
}
