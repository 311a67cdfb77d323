package io.steward.testkit.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * SQL helpers against one database of one instance, each on its own short-lived connection
 * (autocommit), so a test cannot leave a transaction open by accident.
 */
public final class Sql {

    private final String url;
    private final Properties properties;

    Sql(String host, int port, String database, String user) {
        this.url = "jdbc:postgresql://" + host + ":" + port + "/" + database;
        this.properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("connectTimeout", "5");
        properties.setProperty("socketTimeout", "120");
        properties.setProperty("ApplicationName", "steward-testkit");
    }

    private Sql(String url, Properties properties) {
        this.url = url;
        this.properties = new Properties();
        this.properties.putAll(properties);
    }

    /** SQL against any instance (one an agent manages, for instance) with a password. */
    public static Sql of(String host, int port, String database, String user, String password) {
        Sql sql = new Sql(host, port, database, user);
        if (password != null) {
            sql.properties.setProperty("password", password);
        }
        return sql;
    }

    /**
     * The same database with other time-outs (whole seconds; rounded up): for a probe that must
     * give up on a member that does not answer instead of stalling.
     */
    public Sql withTimeouts(Duration connect, Duration socket) {
        Sql copy = new Sql(url, properties);
        copy.properties.setProperty("connectTimeout", Long.toString(seconds(connect)));
        copy.properties.setProperty("loginTimeout", Long.toString(seconds(connect)));
        copy.properties.setProperty("socketTimeout", Long.toString(seconds(socket)));
        return copy;
    }

    private static long seconds(Duration duration) {
        return Math.max(1, (duration.toMillis() + 999) / 1000);
    }

    /** The JDBC URL (without credentials). */
    public String url() {
        return url;
    }

    /** A new connection; the caller closes it. */
    public Connection connect() {
        try {
            return DriverManager.getConnection(url, properties);
        } catch (SQLException e) {
            throw new SqlFailure("cannot connect to " + url, e);
        }
    }

    /** Runs statements (DDL, DML, CHECKPOINT ...) in autocommit mode. */
    public void execute(String... statements) {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new SqlFailure("failed on " + url + ": " + String.join("; ", statements), e);
        }
    }

    /** The first column of the first row as text, or null when there is no row. */
    public String queryValue(String sql) {
        List<String> values = queryColumn(sql);
        return values.isEmpty() ? null : values.get(0);
    }

    /** The first column of every row, as text. */
    public List<String> queryColumn(String sql) {
        try (Connection connection = connect();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rows.next()) {
                values.add(rows.getString(1));
            }
            return values;
        } catch (SQLException e) {
            throw new SqlFailure("failed on " + url + ": " + sql, e);
        }
    }

    /** A SQL failure with the statement and the server's SQLSTATE in its message. */
    public static final class SqlFailure extends RuntimeException {
        private final String sqlState;

        SqlFailure(String message, SQLException cause) {
            super(message + " [" + cause.getSQLState() + "] " + cause.getMessage(), cause);
            this.sqlState = cause.getSQLState();
        }

        /** PostgreSQL's SQLSTATE, for instance 25006 (read-only transaction). */
        public String sqlState() {
            return sqlState;
        }
    }

    /** Closes {@code connection}, if there is one; it may be broken already, which is fine. */
    public static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (java.sql.SQLException ignored) {
                // broken already
            }
        }
    }
}
