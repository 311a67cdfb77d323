package io.steward.agent.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.List;

/**
 * The OS user PostgreSQL runs as. PostgreSQL refuses to run as root: when the agent runs as root,
 * every PostgreSQL program runs as this user (Debian's {@code postgres}) through {@code setpriv},
 * which switches user and then {@code exec}s, and every file the agent writes for it is handed over.
 *
 * @param name the user, or null to run as the agent's own user
 */
public record OsUser(String name) {

    /** The user for PostgreSQL given the configured name: that user when the agent is root, else nobody to switch to. */
    public static OsUser forPostgres(String configured) {
        return "root".equals(System.getProperty("user.name")) ? new OsUser(configured) : new OsUser(null);
    }

    public boolean switches() {
        return name != null;
    }

    /** The command prefix that runs a program as this user. */
    List<String> prefix() {
        return switches() ? List.of("setpriv", "--reuid=" + name, "--regid=" + name, "--init-groups", "--") : List.of();
    }

    /** The command prefix that runs a program as this user and kills it when its parent dies. */
    List<String> prefixDyingWithParent() {
        return switches() ? List.of("setpriv", "--reuid=" + name, "--regid=" + name, "--init-groups", "--pdeathsig",
                "KILL", "--") : List.of("setpriv", "--pdeathsig", "KILL", "--");
    }

    /** Makes {@code path} belong to this user (nothing to do when not switching). */
    public void own(Path path) {
        if (!switches()) {
            return;
        }
        try {
            UserPrincipalLookupService users = path.getFileSystem().getUserPrincipalLookupService();
            Files.setOwner(path, users.lookupPrincipalByName(name));
            Files.getFileAttributeView(path, PosixFileAttributeView.class).setGroup(users.lookupPrincipalByGroupName(name));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot hand " + path + " to OS user " + name, e);
        }
    }
}
