package io.steward.events.kafka;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Reads the key files of the facts' seals (ADR 7): the deciders' secret and each writer's key, as
 * base64 text in a file that nobody but its owner may read or write, since whoever reads it can
 * hand in facts in its name. A symbolic link is not followed.
 */
public final class KeyFiles {

    private KeyFiles() {
    }

    /**
     * The bytes in {@code file}.
     *
     * @param setting the configuration key naming the file, for messages
     * @throws IllegalStateException when the file cannot be read, others may read or write it, or
     *                               it is not base64
     */
    public static byte[] read(Path file, String setting) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
            if (permissions.stream().anyMatch(p -> p.name().startsWith("GROUP_") || p.name().startsWith("OTHERS_"))) {
                throw new IllegalStateException(setting + ": " + file + " can be read or written by others than its "
                        + "owner (" + PosixFilePermissions.toString(permissions) + "): chmod 600 it");
            }
            return FactSeal.decode(Files.readString(file, java.nio.charset.StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new IllegalStateException(setting + ": cannot read " + file + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(setting + ": " + file + " is not base64", e);
        }
    }
}
