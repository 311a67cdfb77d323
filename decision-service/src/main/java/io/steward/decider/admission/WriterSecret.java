package io.steward.decider.admission;

import java.nio.file.Path;

import io.steward.events.kafka.KeyFiles;

/**
 * The deciders' secret from which every writer's key is derived: a file holding at least 32 bytes
 * in base64, which nobody but its owner may read or write (the secret would let anyone seal facts
 * for any member). Read once at start.
 */
public final class WriterSecret {

    static final int MINIMUM_BYTES = 32;

    private WriterSecret() {
    }

    /** The secret in {@code file}, or null when none is configured. */
    public static byte[] read(Path file) {
        if (file == null) {
            return null;
        }
        byte[] secret = KeyFiles.read(file, "admission.secret_file");
        if (secret.length < MINIMUM_BYTES) {
            throw new IllegalStateException("admission.secret_file: " + file + " holds " + secret.length
                    + " bytes; the secret needs at least " + MINIMUM_BYTES + " (head -c 32 /dev/urandom | base64)");
        }
        return secret;
    }
}
