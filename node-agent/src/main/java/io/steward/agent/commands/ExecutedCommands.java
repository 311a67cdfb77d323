package io.steward.agent.commands;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The commands this member has taken on, persisted before each is executed, so that an id is
 * carried out at most once even across agent restarts, and the highest epoch seen survives too
 * (a deposed decider stays refused after a restart). One line per command: {@code epoch id}.
 * Thread-safe.
 */
public final class ExecutedCommands {

    /** The id of a line that only records an epoch (command ids are never this). */
    private static final String EPOCH_ONLY = "~epoch";

    private final Path file;
    private final Set<String> ids = new HashSet<>();
    private long maxEpoch;

    public ExecutedCommands(Path file) {
        this.file = file;
        try {
            if (Files.exists(file)) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    String[] parts = line.strip().split(" ", 2);
                    if (parts.length == 2) {
                        maxEpoch = Math.max(maxEpoch, Long.parseLong(parts[0]));
                        ids.add(parts[1]);
                    }
                }
            }
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("cannot read the executed commands in " + file + ": " + e.getMessage(), e);
        }
    }

    public synchronized boolean contains(String id) {
        return ids.contains(id);
    }

    public synchronized long maxEpoch() {
        return maxEpoch;
    }

    /** Raises the highest epoch seen (from a command to another member); durable before it returns. */
    public synchronized void raiseEpoch(long epoch) {
        if (epoch > maxEpoch) {
            record(epoch, EPOCH_ONLY);
        }
    }

    /** Records that {@code id} of {@code epoch} is being carried out; durable before it returns. */
    public synchronized void record(long epoch, String id) {
        try {
            Files.write(file, List.of(epoch + " " + id), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.SYNC);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record command " + id, e);
        }
        ids.add(id);
        maxEpoch = Math.max(maxEpoch, epoch);
    }
}
