package io.steward.agent.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Where the fencing watchdog keeps its deadline file and its script. Whoever can write there can
 * disarm the watchdog (a deadline of 0) or change what it runs, so when the agent runs as root and
 * PostgreSQL as another user, no directory on the way may be writable by that user, nor by anyone
 * but root: a database superuser can run shell commands as PostgreSQL's OS user
 * ({@code COPY ... TO PROGRAM}), and must not be able to keep a cut-off primary writable.
 *
 * <p>The default is {@code /run/steward/fence/<data directory, '/' as '_'>} in that case (the
 * data directory's own parent usually belongs to PostgreSQL's user, as Debian's
 * {@code /var/lib/postgresql/15} does); otherwise, when the agent and PostgreSQL run as the same
 * user, the agent's state directory next to the data directory, which nothing can protect from
 * that user anyway.
 */
public final class WatchdogDirectory {

    /** Where the per-instance directories go by default when the agent runs as root. */
    static final Path ROOT_DEFAULT = Path.of("/run/steward/fence");

    private WatchdogDirectory() {
    }

    /** The directory for an instance: the configured one, or the default described above. */
    static Path choose(Path configured, Path dataDir, Path stateDir, OsUser user) {
        if (configured != null) {
            return configured;
        }
        if (!user.switches()) {
            return stateDir;
        }
        String name = dataDir.toAbsolutePath().normalize().toString().replace('/', '_');
        return ROOT_DEFAULT.resolve(name.length() > 200 ? name.substring(name.length() - 200) : name);
    }

    /**
     * Creates {@code directory} (owner only may write) and checks the whole path up to the root:
     * when {@code user} switches (the agent is root), every directory must belong to root and be
     * writable by nobody else, except a sticky directory of root's such as {@code /tmp}, where
     * nobody can rename or remove what is root's. Symbolic links are not followed.
     *
     * @throws IllegalStateException naming the first directory that fails, and why
     */
    static Path prepare(Path directory, OsUser user) {
        try {
            Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                    "rwxr-xr-x")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the watchdog's directory " + directory, e);
        }
        if (user.switches()) {
            for (Path path = directory.toAbsolutePath().normalize(); path != null; path = path.getParent()) {
                String problem = problem(path);
                if (problem != null) {
                    throw new IllegalStateException("the fencing watchdog's directory " + directory + " is not safe: "
                            + path + " " + problem + "; PostgreSQL's OS user '" + user.name() + "' could disarm the "
                            + "watchdog. Set watchdog.directory to a directory only root can write, such as "
                            + ROOT_DEFAULT);
                }
            }
        }
        return directory;
    }

    /** What makes {@code path} unsafe, or null when only root can change it. */
    private static String problem(Path path) {
        PosixFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return "cannot be read (" + e.getMessage() + ")";
        }
        if (attributes.isSymbolicLink()) {
            return "is a symbolic link";
        }
        if (!attributes.owner().getName().equals("root")) {
            return "belongs to " + attributes.owner().getName() + ", not root";
        }
        Set<PosixFilePermission> permissions = attributes.permissions();
        boolean othersWrite = permissions.contains(PosixFilePermission.GROUP_WRITE)
                || permissions.contains(PosixFilePermission.OTHERS_WRITE);
        if (othersWrite && !isSticky(path)) {
            return "can be written by others than root (" + PosixFilePermissions.toString(permissions) + ")";
        }
        return null;
    }

    /** Whether {@code path} has the sticky bit (only an entry's owner may rename or remove it). */
    private static boolean isSticky(Path path) {
        try {
            Object mode = Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            return mode instanceof Integer bits && (bits & 01000) != 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }
}
