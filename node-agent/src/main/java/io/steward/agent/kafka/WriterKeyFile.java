package io.steward.agent.kafka;

import java.nio.file.Path;

import io.steward.events.kafka.KeyFiles;

/**
 * The key this member seals its facts with ({@code kafka.writer_key_file}, printed by
 * {@code steward-decider writer-key}), readable by its owner only.
 */
public final class WriterKeyFile {

    private WriterKeyFile() {
    }

    /** The key in {@code file}; null when none is configured. */
    public static byte[] read(Path file) {
        return file == null ? null : KeyFiles.read(file, "kafka.writer_key_file");
    }
}
