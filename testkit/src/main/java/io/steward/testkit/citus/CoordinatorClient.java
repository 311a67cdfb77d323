package io.steward.testkit.citus;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import io.steward.testkit.postgres.Sql;

/**
 * An application writing through a Citus coordinator: an insert into the distributed table
 * {@code items} every 10 ms, on one connection, reconnecting after a failure. It records every
 * statement (when it started, how long it took, whether it failed) and every id acknowledged, so a
 * test or a benchmark can ask whether clients saw errors while a worker's primary changed, and how
 * long their statements were held.
 */
public final class CoordinatorClient implements AutoCloseable {

    /** One statement: its start (epoch millis), its duration, and whether it failed. */
    public record Statement(long startMillis, long millis, boolean failed) {
    }

    private static final AtomicLong IDS = new AtomicLong();

    private final Sql coordinator;
    private final List<Long> acknowledged = new CopyOnWriteArrayList<>();
    private final List<Statement> statements = new CopyOnWriteArrayList<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final Thread thread = new Thread(this::run, "coordinator-client");
    private volatile boolean running = true;

    private CoordinatorClient(Sql coordinator) {
        this.coordinator = coordinator;
        thread.setDaemon(true);
    }

    /** Starts inserting through {@code coordinator} (a connection to the Citus database). */
    public static CoordinatorClient start(Sql coordinator) {
        CoordinatorClient client = new CoordinatorClient(coordinator);
        client.thread.start();
        return client;
    }

    /**
     * Creates {@code items (id bigint primary key)} and distributes it by id. With the stand-in, the
     * worker's shard is the same table on the worker group's primary.
     */
    public static void distributeItems(CitusStandIn.Flavor flavor, Sql coordinator, Sql workerPrimary) {
        String table = "CREATE TABLE IF NOT EXISTS items (id bigint PRIMARY KEY, at timestamptz DEFAULT now())";
        if (flavor == CitusStandIn.Flavor.STAND_IN) {
            coordinator.execute("CREATE EXTENSION IF NOT EXISTS dblink");
            workerPrimary.execute(table);
        }
        coordinator.execute(table, "SELECT create_distributed_table('items', 'id')");
    }

    /** The ids stored, read where they live: on the worker's primary (stand-in) or through the coordinator (Citus). */
    public static Set<Long> storedIds(CitusStandIn.Flavor flavor, Sql coordinator, Sql workerPrimary) {
        Sql sql = flavor == CitusStandIn.Flavor.STAND_IN ? workerPrimary : coordinator;
        return sql.queryColumn("SELECT id FROM items").stream().map(Long::valueOf).collect(Collectors.toSet());
    }

    private void run() {
        Connection connection = null;
        while (running) {
            long id = IDS.incrementAndGet();
            long start = System.currentTimeMillis();
            boolean failed = false;
            try {
                if (connection == null) {
                    connection = coordinator.connect();
                }
                try (var statement = connection.createStatement()) {
                    statement.execute("INSERT INTO items (id) VALUES (" + id + ")");
                }
                acknowledged.add(id);
            } catch (RuntimeException | SQLException e) {
                failed = true;
                errors.add(e.getMessage());
                Sql.closeQuietly(connection);
                connection = null;
            }
            statements.add(new Statement(start, System.currentTimeMillis() - start, failed));
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        Sql.closeQuietly(connection);
    }

    /** Stops inserting, once the statement in flight is done. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(Duration.ofSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public List<Long> acknowledged() {
        return acknowledged;
    }

    public long failures() {
        return statements.stream().filter(Statement::failed).count();
    }

    /** Failed statements that started at or after {@code epochMillis}. */
    public long failuresAfter(long epochMillis) {
        return statements.stream().filter(s -> s.failed() && s.startMillis() >= epochMillis).count();
    }

    /** A few distinct error messages, for an assertion's description. */
    public List<String> errors() {
        return errors.stream().distinct().limit(5).toList();
    }

    public long longestMillis() {
        return statements.stream().mapToLong(Statement::millis).max().orElse(0);
    }

    /** The statements that started in [{@code fromMillis}, {@code toMillis}). */
    public List<Statement> between(long fromMillis, long toMillis) {
        return statements.stream().filter(s -> s.startMillis() >= fromMillis && s.startMillis() < toMillis).toList();
    }
}
