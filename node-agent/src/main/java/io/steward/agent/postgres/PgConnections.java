package io.steward.agent.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

import io.steward.agent.config.AgentConfig;
import io.steward.agent.config.AgentConfig.Credentials;

/**
 * JDBC connections the agent opens: to its own instance as the superuser, and to another member
 * (to create its replication slot there, or to checkpoint a new primary before pg_rewind).
 * Passwords and full connection strings are never logged.
 */
final class PgConnections {

    private final AgentConfig config;
    private final java.nio.file.Path passfile;

    /** @param passfile the pgpass file holding the passwords libpq programs use */
    PgConnections(AgentConfig config, java.nio.file.Path passfile) {
        this.config = config;
        this.passfile = passfile;
    }

    /** Where the agent reaches its own instance: the first listen address, or loopback for a wildcard. */
    String localHost() {
        return localHost(config);
    }

    /** The same for any member's configuration (also Citus's {@code citus.local_hostname}). */
    static String localHost(AgentConfig config) {
        String first = config.postgresql().listenHosts().isEmpty() ? "127.0.0.1" : config.postgresql().listenHosts().get(0);
        return first.equals("0.0.0.0") || first.equals("*") || first.equals("::") || first.isEmpty() ? "127.0.0.1" : first;
    }

    Connection local() throws SQLException {
        return local("postgres");
    }

    Connection local(String database) throws SQLException {
        return open(localHost(), config.postgresql().port(), database, config.postgresql().superuser(), 3);
    }

    Connection remote(String host, int port) throws SQLException {
        return open(host, port, "postgres", config.postgresql().superuser(), 5);
    }

    private static Connection open(String host, int port, String database, Credentials credentials, int timeoutSeconds)
            throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", credentials.username());
        if (credentials.password() != null) {
            properties.setProperty("password", credentials.password());
        }
        if (credentials.sslmode() != null) {
            properties.setProperty("sslmode", credentials.sslmode());
        }
        if (credentials.sslrootcert() != null) {
            properties.setProperty("sslrootcert", credentials.sslrootcert());
        }
        properties.setProperty("connectTimeout", Integer.toString(timeoutSeconds));
        properties.setProperty("socketTimeout", "60");
        properties.setProperty("ApplicationName", "steward-agent");
        properties.setProperty("assumeMinServerVersion", "15");
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + database, properties);
    }

    /** A libpq connection string for streaming replication from {@code host:port}. */
    String replicationConninfo(String host, int port, String applicationName) {
        Credentials replication = config.postgresql().replication();
        StringBuilder conninfo = new StringBuilder("host=").append(host).append(" port=").append(port)
                .append(" user=").append(replication.username()).append(" application_name=").append(quote(applicationName));
        conninfo.append(" passfile=").append(quote(passfile.toString()));
        appendSsl(conninfo, replication);
        return conninfo.toString();
    }

    private static void appendSsl(StringBuilder conninfo, Credentials credentials) {
        if (credentials.sslmode() != null) {
            conninfo.append(" sslmode=").append(credentials.sslmode());
        }
        if (credentials.sslcert() != null) {
            conninfo.append(" sslcert=").append(quote(credentials.sslcert()));
        }
        if (credentials.sslkey() != null) {
            conninfo.append(" sslkey=").append(quote(credentials.sslkey()));
        }
        if (credentials.sslrootcert() != null) {
            conninfo.append(" sslrootcert=").append(quote(credentials.sslrootcert()));
        }
    }

    /** A libpq connection string pg_rewind uses against {@code host:port}. */
    String rewindConninfo(String host, int port) {
        Credentials rewind = config.postgresql().rewind();
        StringBuilder conninfo = new StringBuilder("host=").append(host).append(" port=").append(port)
                .append(" user=").append(rewind.username()).append(" dbname=postgres");
        conninfo.append(" passfile=").append(quote(passfile.toString()));
        appendSsl(conninfo, rewind);
        return conninfo.toString();
    }

    private static String quote(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
