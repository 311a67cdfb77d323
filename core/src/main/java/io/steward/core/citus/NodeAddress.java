package io.steward.core.citus;

import java.util.Objects;

/** Where a PostgreSQL instance is reached: {@code pg_dist_node}'s {@code nodename} and {@code nodeport}. */
public record NodeAddress(String host, int port) implements Comparable<NodeAddress> {

    public NodeAddress {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    @Override
    public int compareTo(NodeAddress other) {
        int byHost = host.compareTo(other.host);
        return byHost != 0 ? byHost : Integer.compare(port, other.port);
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
