package io.steward.core.citus;

/** {@code pg_dist_node.noderole}: Citus's {@code noderole} enum, as spelled in SQL. */
public enum NodeRole {
    PRIMARY("primary"),
    SECONDARY("secondary");

    private final String sql;

    NodeRole(String sql) {
        this.sql = sql;
    }

    /** The enum label in SQL. */
    public String sql() {
        return sql;
    }

    /** Parses a label; Citus's third label, {@code unavailable}, is not one Steward writes. */
    public static NodeRole parse(String label) {
        return switch (label) {
            case "primary" -> PRIMARY;
            case "secondary" -> SECONDARY;
            default -> throw new IllegalArgumentException("unsupported noderole: " + label);
        };
    }
}
