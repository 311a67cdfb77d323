package io.steward.testkit.process;

import java.util.List;

/**
 * Which OS user a child process runs as.
 *
 * <p>PostgreSQL refuses to run as root. When the test JVM runs as root, PostgreSQL binaries run as
 * the {@code postgres} OS user (created by Debian's {@code postgresql-15} package) through
 * {@code setpriv}, which changes the user and then {@code exec}s, so the started program stays a
 * direct child of the JVM. When the JVM runs as an ordinary user, programs run as that user.
 */
public record RunAs(String user) {

    /** The OS user that runs PostgreSQL when the JVM is root; override with {@code steward.pg.user}. */
    public static final String POSTGRES_USER = System.getProperty("steward.pg.user", "postgres");

    /** Run as whoever runs the JVM. */
    public static final RunAs CURRENT = new RunAs(null);

    /** The user for PostgreSQL binaries: {@code postgres} when the JVM is root, else the current user. */
    public static RunAs postgres() {
        return isRoot() ? new RunAs(POSTGRES_USER) : CURRENT;
    }

    /** Whether the JVM runs as root. */
    public static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Whether this differs from the JVM's own user. */
    public boolean switchesUser() {
        return user != null;
    }

    /**
     * The prefix that runs a program as this user and ties it to the launching JVM: when the JVM
     * dies, even by SIGKILL, the kernel sends the program SIGKILL ({@code --pdeathsig}).
     */
    List<String> prefix() {
        if (user == null) {
            return List.of("setpriv", "--pdeathsig", "KILL", "--");
        }
        return List.of("setpriv", "--reuid=" + user, "--regid=" + user, "--init-groups",
                "--pdeathsig", "KILL", "--");
    }
}
