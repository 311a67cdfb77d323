package io.steward.testkit.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The log file of one component: everything its processes print goes here.
 *
 * <p>A test marks the log when it starts and prints what was written since the mark when it fails,
 * so the failure report shows exactly what the component said during that test.
 */
public final class ComponentLog {

    private final Path file;

    public ComponentLog(Path file) {
        this.file = file;
        try {
            Files.createDirectories(file.getParent());
            if (!Files.exists(file)) {
                Files.createFile(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create log file " + file, e);
        }
    }

    public Path file() {
        return file;
    }

    /** The current length, to pass to {@link #since(long)} later. */
    public long mark() {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    /** What was written after {@code mark}. */
    public String since(long mark) {
        try {
            byte[] all = Files.readAllBytes(file);
            int from = (int) Math.min(Math.max(mark, 0), all.length);
            return new String(all, from, all.length - from, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    /** The last {@code lines} lines. */
    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
            Deque<String> last = new ArrayDeque<>();
            for (String line : all) {
                last.addLast(line);
                if (last.size() > lines) {
                    last.removeFirst();
                }
            }
            return String.join(System.lineSeparator(), last);
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    /** Whether the log contains {@code text} anywhere after {@code mark}. */
    public boolean containsSince(long mark, String text) {
        return since(mark).contains(text);
    }

    /**
     * Notes a milestone (started on a port, stopped, frozen) in the log and on standard output, so
     * the build log shows each component's life.
     */
    public void announce(String line) {
        note(line);
        System.out.println("[testkit] " + line);
    }

    /** Appends a line written by the test kit itself (commands it ran, what it waited for). */
    public synchronized void note(String line) {
        try {
            Files.writeString(file, "[testkit] " + line + System.lineSeparator(), StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
