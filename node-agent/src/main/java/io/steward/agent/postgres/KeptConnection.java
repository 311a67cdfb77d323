package io.steward.agent.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * One superuser connection to the local instance, kept between the agent's actions: a promotion
 * should not wait for a new connection (a backend to fork, a password exchange) at each of its
 * steps. Checked before each use and opened again when it broke (the instance restarted); closed
 * after a failed statement, so a broken session is never reused. Thread-safe.
 */
final class KeptConnection implements AutoCloseable {

    /** Work done on the connection. */
    @FunctionalInterface
    interface Work<T> {
        T on(Statement statement) throws SQLException;
    }

    /** Opens a new connection. */
    @FunctionalInterface
    interface Opener {
        Connection open() throws SQLException;
    }

    private final Opener opener;
    private Connection connection;

    KeptConnection(Opener opener) {
        this.opener = opener;
    }

    synchronized <T> T use(Work<T> work) throws SQLException {
        if (connection == null || !connection.isValid(1)) {
            close();
            connection = opener.open();
        }
        try (Statement statement = connection.createStatement()) {
            return work.on(statement);
        } catch (SQLException | RuntimeException e) {
            close();
            throw e;
        }
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // it is going away either way
            }
            connection = null;
        }
    }
}
