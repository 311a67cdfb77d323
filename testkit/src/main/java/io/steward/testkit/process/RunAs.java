package io.steward.testkit.process;

import java.util.ArrayList;
import java.util.List;

/**
 * Which OS user a child process runs as, and in which network namespace (a test host of
 * {@code io.steward.testkit.net.Network}; none means the JVM's own).
 *
 * <p>PostgreSQL refuses to run as root. When the test JVM runs as root, PostgreSQL binaries run as
 * the {@code postgres} OS user (created by Debian's {@code postgresql-15} package) through
 * {@code setpriv}, which changes the user and then {@code exec}s, so the started program stays a
 * direct child of the JVM. When the JVM runs as an ordinary user, programs run as that user.
 */
public record RunAs(String user, String namespace) {

    /** The OS user that runs PostgreSQL when the JVM is root; override with {@code steward.pg.user}. */
    public static final String POSTGRES_USER = System.getProperty("steward.pg.user", "postgres");

    /** Run as whoever runs the JVM. */
    public static final RunAs CURRENT = new RunAs(null);

    /** Run as {@code user} (null: the JVM's own user) in the JVM's network namespace. */
    public RunAs(String user) {
        this(user, null);
    }

    /** The same user, in the named network namespace (null: the JVM's own). */
    public RunAs in(String networkNamespace) {
        return new RunAs(user, networkNamespace);
    }

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
     * dies, even by SIGKILL, the kernel sends the program SIGKILL ({@code --pdeathsig}). In a
     * namespace, {@code ip netns exec} comes first: it enters the namespace and {@code exec}s
     * setpriv without forking, so the program stays the JVM's child and keeps the signal.
     */
    List<String> prefix() {
        List<String> prefix = new ArrayList<>();
        if (namespace != null) {
            prefix.addAll(List.of("ip", "netns", "exec", namespace));
        }
        prefix.add("setpriv");
        if (user != null) {
            prefix.addAll(List.of("--reuid=" + user, "--regid=" + user, "--init-groups"));
        }
        prefix.addAll(List.of("--pdeathsig", "KILL", "--"));
        return List.copyOf(prefix);
    }
}
