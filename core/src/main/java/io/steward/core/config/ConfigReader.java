package io.steward.core.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

import io.steward.core.config.DynamicConfig.SynchronousMode;

/** Reads a {@link ConfigTree} into a {@link DynamicConfig}, collecting errors and warnings by key path. */
final class ConfigReader {

    /**
     * The settings every member must share (Patroni's command-line options): default and the rule
     * a value must follow. Values that break a rule are errors, never silently replaced.
     */
    static final Map<String, Guc> CLUSTER_WIDE_GUCS = clusterWideGucs();

    /** Settings each member derives from its own YAML; a dynamic value is ignored with a warning. */
    private static final Set<String> LOCAL_ONLY_GUCS = Set.of("listen_addresses", "port", "cluster_name");

    /** Keys Patroni knows that Steward accepts but does not act on yet. */
    private static final Set<String> NOT_IMPLEMENTED = Set.of("failsafe_mode", "slots", "ignore_slots",
            "standby_cluster", "primary_race_backoff", "pause");
    private static final Set<String> NOT_IMPLEMENTED_POSTGRESQL = Set.of("recovery_conf", "pg_ident",
            "parameters_primary", "parameters_replica", "parameters_standby_leader", "pg_hba_primary",
            "pg_hba_replica", "pg_hba_standby_leader", "pg_ident_primary", "pg_ident_replica",
            "pg_ident_standby_leader");
    private static final Set<String> IMPLEMENTED = Set.of("ttl", "loop_wait", "retry_timeout",
            "maximum_lag_on_failover", "maximum_lag_on_syncnode", "max_timelines_history", "primary_start_timeout",
            "master_start_timeout", "primary_stop_timeout", "master_stop_timeout", "synchronous_mode",
            "synchronous_mode_strict", "synchronous_node_count", "check_timeline", "member_slots_ttl", "postgresql");
    private static final Set<String> IMPLEMENTED_POSTGRESQL = Set.of("use_pg_rewind", "use_slots", "parameters",
            "pg_hba");

    /**
     * The longest ttl and loop_wait: an hour. Bounds keep every duration the lease and the decision
     * rules compute with far from overflowing.
     */
    static final long MAX_TTL_SECONDS = 3_600;
    private static final long DAY_SECONDS = 86_400;
    /** More synchronous standbys than any group has members. */
    private static final long MAX_SYNCHRONOUS_NODES = 1_000;

    private final ConfigTree tree;
    private final List<String> errors = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    ConfigReader(ConfigTree tree) {
        this.tree = tree;
    }

    DynamicConfig.Parsed read(long version) {
        checkKeys();
        Duration ttl = seconds("ttl", 4, 2, MAX_TTL_SECONDS);
        Duration loopWait = seconds("loop_wait", 1, 1, MAX_TTL_SECONDS);
        Duration retryTimeout = seconds("retry_timeout", 10, 1, DAY_SECONDS);
        long maxLag = integer("maximum_lag_on_failover", 1_048_576, 0, Long.MAX_VALUE);
        long maxSyncLag = integer("maximum_lag_on_syncnode", -1, -1, Long.MAX_VALUE);
        int maxHistory = (int) integer("max_timelines_history", 0, 0, Integer.MAX_VALUE);
        Duration startTimeout = seconds(tree.get("primary_start_timeout") != null || tree.get("master_start_timeout") == null
                ? "primary_start_timeout" : "master_start_timeout", 300, 0, DAY_SECONDS);
        Duration stopTimeout = seconds(tree.get("primary_stop_timeout") != null || tree.get("master_stop_timeout") == null
                ? "primary_stop_timeout" : "master_stop_timeout", 0, 0, DAY_SECONDS);
        SynchronousMode mode = synchronousMode();
        boolean strict = bool("synchronous_mode_strict", false);
        int nodeCount = (int) integer("synchronous_node_count", 1, 1, MAX_SYNCHRONOUS_NODES);
        boolean checkTimeline = bool("check_timeline", false);
        boolean rewind = bool("postgresql.use_pg_rewind", true);
        boolean slots = bool("postgresql.use_slots", true);
        Duration slotsTtl = seconds("member_slots_ttl", 1800, 0, 10 * 365 * DAY_SECONDS);
        java.util.SortedMap<String, String> parameters = parameters();
        List<String> pgHba = stringList("postgresql.pg_hba");
        DynamicConfig config = new DynamicConfig(version, tree, ttl, loopWait, retryTimeout, maxLag, maxSyncLag,
                maxHistory, startTimeout, stopTimeout, mode, strict, nodeCount, checkTimeline, rewind, slots, slotsTtl,
                parameters, pgHba);
        return new DynamicConfig.Parsed(config, List.copyOf(errors), List.copyOf(warnings));
    }

    private void checkKeys() {
        for (String key : tree.entries().keySet()) {
            if (NOT_IMPLEMENTED.contains(key)) {
                warnings.add(key + ": accepted but not implemented by Steward yet; it has no effect"
                        + ("pause".equals(key) ? " (use stewardctl pause / resume)" : ""));
            } else if (!IMPLEMENTED.contains(key)) {
                warnings.add(key + ": unknown dynamic configuration key, ignored");
            }
        }
        for (String key : tree.subtree("postgresql").entries().keySet()) {
            if (NOT_IMPLEMENTED_POSTGRESQL.contains(key)) {
                warnings.add("postgresql." + key + ": accepted but not implemented by Steward yet; it has no effect");
            } else if (!IMPLEMENTED_POSTGRESQL.contains(key)) {
                warnings.add("postgresql." + key + ": unknown dynamic configuration key, ignored");
            }
        }
    }

    private SynchronousMode synchronousMode() {
        Object value = tree.get("synchronous_mode");
        if (value == null) {
            return SynchronousMode.OFF;
        }
        String text = String.valueOf(value).toLowerCase(Locale.ROOT);
        return switch (text) {
            case "true", "on", "yes" -> SynchronousMode.ON;
            case "false", "off", "no" -> SynchronousMode.OFF;
            case "quorum" -> SynchronousMode.QUORUM;
            default -> {
                errors.add("synchronous_mode: must be on, off or quorum, got '" + value + "'");
                yield SynchronousMode.OFF;
            }
        };
    }

    private java.util.SortedMap<String, String> parameters() {
        java.util.SortedMap<String, String> effective = new TreeMap<>();
        CLUSTER_WIDE_GUCS.forEach((name, guc) -> effective.put(name, guc.defaultValue()));
        effective.put("wal_keep_size", "128MB");
        // Replicas must be ready to promote at once: the default 5 s retry interval can stall
        // pg_promote() for 5 s right after the primary died.
        effective.put("wal_retrieve_retry_interval", "200ms");
        ConfigTree given = tree.subtree("postgresql.parameters");
        given.entries().forEach((name, raw) -> {
            String path = "postgresql.parameters." + name;
            if (raw == ConfigTree.DELETE) {
                return;
            }
            if (raw instanceof ConfigTree || raw instanceof List<?>) {
                errors.add(path + ": must be a single value, got " + raw);
                return;
            }
            String value = raw instanceof Boolean flag ? (flag ? "on" : "off") : String.valueOf(raw);
            if (LOCAL_ONLY_GUCS.contains(name)) {
                warnings.add(path + ": set per member from its own YAML (postgresql.listen, scope), ignored here");
                return;
            }
            Guc guc = CLUSTER_WIDE_GUCS.get(name);
            if (guc != null && !guc.rule().test(value)) {
                errors.add(path + ": " + guc.explanation() + ", got '" + value + "'");
                return;
            }
            if ("wal_keep_size".equals(name) && !atLeastMegabytes(value, 16)) {
                errors.add(path + ": must be at least 16MB, got '" + value + "'");
                return;
            }
            effective.put(name, value);
        });
        return effective;
    }

    private Duration seconds(String path, long fallback, long minimum, long maximum) {
        return Duration.ofSeconds(integer(path, fallback, minimum, maximum));
    }

    private long integer(String path, long fallback, long minimum, long maximum) {
        Object value = tree.get(path);
        if (value == null) {
            return fallback;
        }
        Long number = asLong(value);
        if (number == null) {
            errors.add(path + ": must be a whole number, got '" + value + "'");
            return fallback;
        }
        if (number < minimum) {
            errors.add(path + ": must be at least " + minimum + ", got " + number);
            return fallback;
        }
        if (number > maximum) {
            errors.add(path + ": must be at most " + maximum + ", got " + number);
            return fallback;
        }
        return number;
    }

    private boolean bool(String path, boolean fallback) {
        Object value = tree.get(path);
        if (value == null) {
            return fallback;
        }
        Boolean flag = asBoolean(value);
        if (flag == null) {
            errors.add(path + ": must be true or false, got '" + value + "'");
            return fallback;
        }
        return flag;
    }

    private List<String> stringList(String path) {
        Object value = tree.get(path);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list) || list.stream().anyMatch(item -> !(item instanceof String))) {
            errors.add(path + ": must be a list of lines, got " + value);
            return List.of();
        }
        return list.stream().map(String.class::cast).toList();
    }

    static Long asLong(Object value) {
        if (value instanceof Long number) {
            return number;
        }
        if (value instanceof Double number && number == Math.rint(number)) {
            return number.longValue();
        }
        if (value instanceof String text) {
            try {
                return Long.parseLong(text.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    static Boolean asBoolean(Object value) {
        if (value instanceof Boolean flag) {
            return flag;
        }
        String text = String.valueOf(value).trim().toLowerCase(Locale.ROOT);
        return switch (text) {
            case "true", "on", "yes", "1" -> Boolean.TRUE;
            case "false", "off", "no", "0" -> Boolean.FALSE;
            default -> null;
        };
    }

    /** Whether a size setting ("16MB", "1GB", "2048" in MB) is at least {@code megabytes}. */
    static boolean atLeastMegabytes(String value, long megabytes) {
        String text = value.trim().toUpperCase(Locale.ROOT);
        long factorKb;
        String digits;
        if (text.endsWith("KB")) {
            factorKb = 1;
            digits = text.substring(0, text.length() - 2);
        } else if (text.endsWith("MB")) {
            factorKb = 1024;
            digits = text.substring(0, text.length() - 2);
        } else if (text.endsWith("GB")) {
            factorKb = 1024 * 1024;
            digits = text.substring(0, text.length() - 2);
        } else if (text.endsWith("TB")) {
            factorKb = 1024L * 1024 * 1024;
            digits = text.substring(0, text.length() - 2);
        } else {
            factorKb = 1024;
            digits = text;
        }
        try {
            return Long.parseLong(digits.trim()) * factorKb >= megabytes * 1024;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** A cluster-wide setting: its default and the rule its value must follow. */
    record Guc(String defaultValue, Predicate<String> rule, String explanation) {
    }

    private static Map<String, Guc> clusterWideGucs() {
        Map<String, Guc> gucs = new LinkedHashMap<>();
        gucs.put("wal_level", new Guc("replica", value -> Set.of("hot_standby", "replica", "logical")
                .contains(value.toLowerCase(Locale.ROOT)), "must be replica or logical (hot_standby means replica)"));
        gucs.put("hot_standby", new Guc("on", value -> Boolean.TRUE.equals(asBoolean(value)),
                "must be on: replicas have to answer queries and report their positions"));
        gucs.put("max_connections", new Guc("100", atLeast(25), "must be a whole number of at least 25"));
        gucs.put("max_wal_senders", new Guc("10", atLeast(3), "must be a whole number of at least 3"));
        gucs.put("max_prepared_transactions", new Guc("0", atLeast(0), "must be a whole number of at least 0"));
        gucs.put("max_locks_per_transaction", new Guc("64", atLeast(32), "must be a whole number of at least 32"));
        gucs.put("track_commit_timestamp", new Guc("off", value -> asBoolean(value) != null, "must be on or off"));
        gucs.put("max_replication_slots", new Guc("10", atLeast(4), "must be a whole number of at least 4"));
        gucs.put("max_worker_processes", new Guc("8", atLeast(2), "must be a whole number of at least 2"));
        gucs.put("wal_log_hints", new Guc("on", value -> asBoolean(value) != null, "must be on or off"));
        return java.util.Collections.unmodifiableMap(gucs);
    }

    private static Predicate<String> atLeast(long minimum) {
        return value -> {
            Long number = asLong(value);
            return number != null && number >= minimum;
        };
    }
}
