package io.steward.bench.compare;

import java.util.List;

/**
 * Three PostgreSQL members under one HA manager, as the benchmark drives them. Steward's and
 * Patroni's groups implement it so every scenario runs the same way against both.
 */
interface ManagedGroup extends AutoCloseable {

    /** "Steward" or "Patroni". */
    String manager();

    /** The members' names, in start order. */
    List<String> members();

    int pgPort(String member);

    /** The password of PostgreSQL's superuser {@code postgres}. */
    String superuserPassword();

    /** SQL on one member as the superuser. */
    default io.steward.testkit.postgres.Sql sql(String member) {
        return io.steward.testkit.postgres.Sql.of("127.0.0.1", pgPort(member), "postgres", "postgres",
                superuserPassword());
    }

    /** Waits until one member is primary and the other two stream from it; returns the primary. */
    String awaitHealthy();

    /** The primary's host dies: SIGKILL to the manager process and to every PostgreSQL process. */
    void killHost(String member);

    /** Starts the member's manager again after {@link #killHost}. */
    void restart(String member);

    /** Asks for a planned switchover through the member REST API and returns when it answered. */
    void switchover(String from, String to);

    /** The process ids of the manager processes (agents, or Patroni daemons), for the footprint. */
    List<Long> managerPids();

    /** A libpq-style JDBC URL that reaches whichever member is primary. */
    default String primaryUrl() {
        StringBuilder hosts = new StringBuilder();
        for (String member : members()) {
            hosts.append(hosts.isEmpty() ? "" : ",").append("127.0.0.1:").append(pgPort(member));
        }
        return "jdbc:postgresql://" + hosts + "/postgres?targetServerType=primary&hostRecheckSeconds=0"
                + "&connectTimeout=1&socketTimeout=3&loginTimeout=3";
    }

    @Override
    void close();
}
