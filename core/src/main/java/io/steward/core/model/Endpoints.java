package io.steward.core.model;

/**
 * Where a member can be reached: its agent's REST API and its PostgreSQL server.
 *
 * @param apiUrl the agent's REST API base URL, for instance {@code http://10.0.0.5:8008}
 * @param host   PostgreSQL's host as other members and clients reach it
 * @param port   PostgreSQL's port
 */
public record Endpoints(String apiUrl, String host, int port) {

    /** Patroni's {@code conn_url}. */
    public String connectionUrl() {
        return "postgres://" + host + ":" + port + "/postgres";
    }
}
