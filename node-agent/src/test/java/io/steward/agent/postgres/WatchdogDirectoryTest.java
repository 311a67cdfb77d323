package io.steward.agent.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the watchdog's deadline lives, and the check that PostgreSQL's OS user cannot change it.
 * The agent runs as root here (as the test suite does), PostgreSQL as {@code postgres}.
 */
class WatchdogDirectoryTest {

    private static final OsUser POSTGRES = new OsUser("postgres");

    @TempDir
    Path dir;

    @Test
    void byDefaultOutsideTheDataDirectorysParentWhichPostgresUsuallyOwns() {
        Path chosen = WatchdogDirectory.choose(null, Path.of("/var/lib/postgresql/15/main"),
                Path.of("/var/lib/postgresql/15/main.steward"), POSTGRES);
        assertThat(chosen).isEqualTo(Path.of("/run/steward/fence/_var_lib_postgresql_15_main"));
        assertThat(WatchdogDirectory.choose(Path.of("/etc/steward/fence"), Path.of("/data"), Path.of("/data.steward"),
                POSTGRES)).as("the configured one").isEqualTo(Path.of("/etc/steward/fence"));
        assertThat(WatchdogDirectory.choose(null, Path.of("/data"), Path.of("/data.steward"), new OsUser(null)))
                .as("the state directory when the agent runs as PostgreSQL's user").isEqualTo(Path.of("/data.steward"));
    }

    @Test
    void aDirectoryOnlyRootCanChangeIsAccepted() throws IOException {
        Path safe = Files.createDirectories(dir.resolve("fence"));
        rootOnly(dir);
        assertThat(WatchdogDirectory.prepare(safe, POSTGRES)).isEqualTo(safe);
    }

    @Test
    void aParentThatPostgresOwnsIsRefused() throws IOException {
        Path parent = Files.createDirectories(dir.resolve("15"));
        rootOnly(dir);
        POSTGRES.own(parent);

        assertThatThrownBy(() -> WatchdogDirectory.prepare(parent.resolve("main.steward"), POSTGRES))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(parent + " belongs to postgres, not root")
                .hasMessageContaining("watchdog.directory");
    }

    @Test
    void aDirectoryOthersMayWriteIsRefused() throws IOException {
        Path open = Files.createDirectories(dir.resolve("open"));
        rootOnly(dir);
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));

        assertThatThrownBy(() -> WatchdogDirectory.prepare(open.resolve("fence"), POSTGRES))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("can be written by others than root");
    }

    @Test
    void aSymbolicLinkOnTheWayIsRefused() throws IOException {
        Path real = Files.createDirectories(dir.resolve("real"));
        rootOnly(dir);
        Path link = Files.createSymbolicLink(dir.resolve("link"), real);

        assertThatThrownBy(() -> WatchdogDirectory.prepare(link.resolve("fence"), POSTGRES))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("is a symbolic link");
    }

    /** JUnit's temporary directories are root's, 0700; the tests look at what is below them. */
    private static void rootOnly(Path path) throws IOException {
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
