package io.steward.testkit.faults;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

import io.steward.testkit.Await;
import io.steward.testkit.agent.AgentNode;
import io.steward.testkit.cluster.TestCluster;
import io.steward.testkit.postgres.Sql;

/**
 * The independent split-brain checker's eyes: every 20 ms, every member is asked directly, on its
 * own connection, to commit a row, and each acknowledged probe is recorded with the timeline the
 * member wrote on and when the probe was sent and acknowledged. {@link ProbeAnalysis} then finds
 * every interval in which two members both accepted writes.
 *
 * <p>The probe is {@value #PROBE} in autocommit, on table {@code steward_probe}, which
 * {@link #start} creates on whichever member accepts it (the primary). A failure is not an
 * acknowledgement; after one the member's connection is opened again, unless the member only said
 * it is read-only. Connect, login and socket time-outs are one second, so a member that is cut
 * off or frozen costs its own probes and no one else's.
 *
 * <p>Threading: one daemon thread per member; {@link #probes()} and {@link #report()} may be
 * called from any thread while it runs.
 */
public final class WriteProber implements AutoCloseable {

    /** The interval between two probes of one member. */
    public static final Duration INTERVAL = Duration.ofMillis(20);
    /** The probe: a row, and the timeline of the WAL it went into. */
    public static final String PROBE = "INSERT INTO steward_probe (member, at) VALUES (?, clock_timestamp()) "
            + "RETURNING ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int";
    private static final String TABLE = "CREATE TABLE IF NOT EXISTS steward_probe (member text NOT NULL, at timestamptz NOT NULL)";
    private static final String READ_ONLY = "25006";

    /** A member to probe: its name and where its PostgreSQL listens. */
    public record Target(String member, String host, int port) {

        /** The member an agent manages. */
        public static Target of(AgentNode agent) {
            return new Target(agent.name(), agent.pgHost(), agent.pgPort());
        }

        String url() {
            return "jdbc:postgresql://" + host + ":" + port + "/postgres";
        }
    }

    private final List<Target> targets;
    private final Properties properties = new Properties();
    private final Duration interval;
    private final List<Probe> probes = new ArrayList<>();
    private final Map<String, String> lastErrors = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private final long startedNanos = System.nanoTime();
    private volatile boolean running = true;
    private volatile long stoppedNanos;

    private WriteProber(List<Target> targets, String user, String password, Duration interval) {
        this.targets = List.copyOf(targets);
        this.interval = interval;
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        properties.setProperty("connectTimeout", "1");
        properties.setProperty("loginTimeout", "1");
        properties.setProperty("socketTimeout", "1");
        properties.setProperty("ApplicationName", "steward-prober");
    }

    /** Probes every agent of {@code cluster} as the superuser, every {@link #INTERVAL}. */
    public static WriteProber start(TestCluster cluster) {
        return start(cluster.agents().stream().map(Target::of).toList(), "postgres", AgentNode.SUPERUSER_PASSWORD, INTERVAL);
    }

    /** Creates the probe table on the member that accepts it, then starts one thread per target. */
    public static WriteProber start(List<Target> targets, String user, String password, Duration interval) {
        WriteProber prober = new WriteProber(targets, user, password, interval);
        prober.createTable();
        for (Target target : prober.targets) {
            Thread thread = new Thread(() -> prober.probe(target), "prober-" + target.member());
            thread.setDaemon(true);
            prober.threads.add(thread);
            thread.start();
        }
        return prober;
    }

    /** Every acknowledged probe so far, in the order they were recorded. */
    public List<Probe> probes() {
        synchronized (probes) {
            return List.copyOf(probes);
        }
    }

    /** The analysis of the probes so far (or up to {@link #close()}). */
    public ProbeReport report() {
        long until = running ? System.nanoTime() : stoppedNanos;
        return ProbeAnalysis.analyze(probes(), startedNanos, until);
    }

    /** The last failure each member reported, for a failing test's message. */
    public Map<String, String> lastErrors() {
        return Map.copyOf(lastErrors);
    }

    /** Stops probing and waits for the threads (each gives up within its one-second time-outs). */
    @Override
    public void close() {
        if (!running) {
            return;
        }
        stoppedNanos = System.nanoTime();
        running = false;
        for (Thread thread : threads) {
            thread.interrupt();
        }
        for (Thread thread : threads) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void createTable() {
        Await.until("a member that creates steward_probe (the primary)", Duration.ofSeconds(30), () -> {
            for (Target target : targets) {
                try (Connection connection = DriverManager.getConnection(target.url(), properties);
                     Statement statement = connection.createStatement()) {
                    statement.execute(TABLE);
                    return true;
                } catch (SQLException e) {
                    lastErrors.put(target.member(), e.getMessage());
                }
            }
            return false;
        });
    }

    private void probe(Target target) {
        Connection connection = null;
        PreparedStatement statement = null;
        while (running) {
            long tick = System.nanoTime();
            try {
                if (connection == null) {
                    connection = DriverManager.getConnection(target.url(), properties);
                    statement = connection.prepareStatement(PROBE);
                    statement.setString(1, target.member());
                }
                long sent = System.nanoTime();
                try (ResultSet row = statement.executeQuery()) {
                    row.next();
                    int timeline = row.getInt(1);
                    record(new Probe(target.member(), timeline, sent, System.nanoTime()));
                }
            } catch (SQLException e) {
                lastErrors.put(target.member(), e.getMessage());
                if (!READ_ONLY.equals(e.getSQLState())) {
                    Sql.closeQuietly(connection);
                    connection = null;
                }
            }
            LockSupport.parkNanos(interval.toNanos() - (System.nanoTime() - tick));
        }
        Sql.closeQuietly(connection);
    }

    private void record(Probe probe) {
        synchronized (probes) {
            probes.add(probe);
        }
    }
}
