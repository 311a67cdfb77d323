package io.steward.testkit.cluster;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

import io.steward.testkit.postgres.Sql;

/**
 * An application writing through the failover: one row with a new id every {@code interval}, to
 * whichever member is primary (PgJDBC's multi-host URL with {@code targetServerType=primary}, as
 * applications connect), reconnecting after every failure. It remembers every id the database
 * acknowledged, when, and on which port, so a test can ask how long writes stopped and whether an
 * acknowledged write was lost.
 *
 * <p>The table is {@code steward_writes(id bigint primary key)}; {@link #start} creates it.
 */
public final class Writer implements AutoCloseable {

    /** One acknowledged write. */
    public record Ack(long id, long atNanos, int port) {
    }

    private final String url;
    private final Properties credentials;
    private final Duration interval;
    private final List<Ack> acks = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile String lastError;

    private Writer(String url, String user, String password, Duration interval) {
        this.url = url;
        this.credentials = new Properties();
        credentials.setProperty("user", user);
        credentials.setProperty("password", password);
        this.interval = interval;
        this.thread = new Thread(this::run, "writer");
        thread.setDaemon(true);
    }

    /** Creates the table (on the current primary) and starts writing. */
    public static Writer start(String url, String user, String password, Duration interval) {
        Writer writer = new Writer(url, user, password, interval);
        try (Connection connection = DriverManager.getConnection(url, writer.credentials);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS steward_writes (id bigint PRIMARY KEY)");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the writer's table: " + e.getMessage(), e);
        }
        writer.thread.start();
        return writer;
    }

    private void run() {
        long next = 1;
        Connection connection = null;
        int port = -1;
        while (running) {
            long started = System.nanoTime();
            try {
                if (connection == null) {
                    connection = DriverManager.getConnection(url, credentials);
                    port = port(connection);
                }
                try (Statement statement = connection.createStatement()) {
                    statement.execute("INSERT INTO steward_writes VALUES (" + next + ")");
                }
                acks.add(new Ack(next, System.nanoTime(), port));
                next++;
            } catch (SQLException e) {
                lastError = e.getMessage();
                Sql.closeQuietly(connection);
                connection = null;
                next++; // an id whose fate is unknown is never reused
            }
            long sleep = interval.toNanos() - (System.nanoTime() - started);
            if (sleep > 0) {
                try {
                    Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
        Sql.closeQuietly(connection);
    }

    /** The port of the server this connection reached (a multi-host URL names several). */
    private static int port(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             java.sql.ResultSet rows = statement.executeQuery("SELECT inet_server_port()")) {
            return rows.next() ? rows.getInt(1) : -1;
        }
    }

    /** Every acknowledged write so far, in order. */
    public List<Ack> acks() {
        return new ArrayList<>(acks);
    }

    /** The first write acknowledged after {@code nanos} (System.nanoTime) by another server than {@code port}. */
    public java.util.Optional<Ack> firstAckAfter(long nanos, int port) {
        return acks.stream().filter(ack -> ack.atNanos() > nanos && ack.port() != port).findFirst();
    }

    /** The longest time between two consecutive acknowledgements (a switchover's write gap). */
    public Duration longestGap() {
        List<Ack> all = acks();
        long longest = 0;
        for (int i = 1; i < all.size(); i++) {
            longest = Math.max(longest, all.get(i).atNanos() - all.get(i - 1).atNanos());
        }
        return Duration.ofNanos(longest);
    }

    /** Acknowledged ids that {@code present} (the rows now on the primary) does not hold. */
    public Set<Long> lost(Set<Long> present) {
        Set<Long> lost = new TreeSet<>();
        for (Ack ack : acks) {
            if (!present.contains(ack.id())) {
                lost.add(ack.id());
            }
        }
        return lost;
    }

    public String lastError() {
        return lastError;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
