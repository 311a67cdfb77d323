package io.steward.core.model;

import java.util.Objects;

/**
 * One HA group: a primary and its replicas, inside a scope (a Patroni cluster; for Citus the whole
 * Citus cluster, where group 0 is the coordinator and 1..n are workers).
 *
 * <p>Its {@link #key()} ({@code scope/group}) is the Kafka record key of everything about the group,
 * so one partition holds the group's total order.
 */
public record GroupId(String scope, int group) implements Comparable<GroupId> {

    public GroupId {
        Objects.requireNonNull(scope, "scope");
        if (scope.isEmpty() || scope.contains("/")) {
            throw new IllegalArgumentException("scope must be non-empty and without '/': '" + scope + "'");
        }
        if (group < 0) {
            throw new IllegalArgumentException("group must be 0 or more, got " + group);
        }
    }

    /** Parses a record key, {@code scope/group}. */
    public static GroupId parse(String key) {
        int slash = key.lastIndexOf('/');
        if (slash <= 0) {
            throw new IllegalArgumentException("not a group key (expected scope/group): '" + key + "'");
        }
        try {
            return new GroupId(key.substring(0, slash), Integer.parseInt(key.substring(slash + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a group key (expected scope/group): '" + key + "'", e);
        }
    }

    public String key() {
        return scope + "/" + group;
    }

    // Spelled out so that hash order is the same on every JVM version (record hashCode is not specified).
    @Override
    public int hashCode() {
        return 31 * scope.hashCode() + group;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof GroupId that && that.group == group && that.scope.equals(scope);
    }

    @Override
    public int compareTo(GroupId other) {
        int byScope = scope.compareTo(other.scope);
        return byScope != 0 ? byScope : Integer.compare(group, other.group);
    }

    @Override
    public String toString() {
        return key();
    }
}
