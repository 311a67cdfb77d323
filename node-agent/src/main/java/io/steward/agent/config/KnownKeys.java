package io.steward.agent.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every key of a member's YAML that Steward knows: Patroni's keys (implemented or not yet) and the
 * {@code kafka:} section. Keys it does not know, or knows but does not implement, are warned about
 * by name, never silently dropped. A key that looks like a misspelling of a known key missing from
 * the same section is an error with a "did you mean" suggestion: what its author meant would
 * otherwise be lost without a trace.
 */
final class KnownKeys {

    /** What Steward does with a key. */
    enum Status {
        /** Read and acted on. */
        READ,
        /** A Patroni key Steward accepts but does not act on (yet). */
        NOT_IMPLEMENTED,
        /** A section whose keys are free-form (PostgreSQL parameters, tags, client properties). */
        OPEN
    }

    /** One key: its status, a note for the warning, and its children when it is a section. */
    record Key(String name, Status status, String note, Map<String, Key> children) {
        boolean isSection() {
            return !children.isEmpty();
        }
    }

    static final Key ROOT = section("",
            read("scope"), read("name"), read("namespace"),
            section("restapi", read("listen"), read("connect_address"), read("certfile"), read("keyfile"),
                    read("keyfile_password"), read("cafile"), read("allowlist"),
                    section("authentication", read("username"), read("password")),
                    todo("verify_client", "client certificates are not checked"), todo("allowlist_include_members"),
                    todo("http_extra_headers"), todo("https_extra_headers"), todo("server_tokens"),
                    todo("request_queue_size"), todo("thread_pool_size"), todo("ciphers")),
            todo("ctl", "stewardctl has its own configuration"),
            etcd("etcd"), etcd("etcd3"),
            todo("consul", "Steward keeps its leases in etcd"), todo("zookeeper", "Steward keeps its leases in etcd"),
            todo("exhibitor", "Steward keeps its leases in etcd"), todo("kubernetes", "Steward keeps its leases in etcd"),
            todo("raft", "Steward keeps its leases in etcd"),
            section("kafka", read("bootstrap_servers"), read("topic_prefix"), read("heartbeat_interval"),
                    read("writer_key_file"), open("properties")),
            section("bootstrap", open("dcs"), read("initdb"), read("pg_hba"), read("method"),
                    todo("users", "removed in Patroni 4.0; create users in post_bootstrap"),
                    todo("post_bootstrap"), todo("post_init")),
            section("postgresql", read("listen"), read("connect_address"), read("data_dir"),
                    todo("config_dir", "the configuration files live in the data directory"),
                    read("bin_dir"), read("pgpass"),
                    todo("use_unix_socket", "the agent connects over TCP to the first postgresql.listen address"),
                    read("pg_ctl_timeout"),
                    section("authentication", credentials("superuser"), credentials("replication"),
                            credentials("rewind")),
                    open("parameters"), read("pg_hba"), read("remove_data_directory_on_rewind_failure"),
                    todo("remove_data_directory_on_diverged_timelines",
                            "a diverged member is rewound, or reinitialized by command"), read("basebackup"),
                    todo("use_pg_rewind", "set it in bootstrap.dcs (it is dynamic); on by default"),
                    todo("use_slots", "set it in bootstrap.dcs (it is dynamic); on by default"),
                    todo("proxy_address"), todo("bin_name"), todo("use_unix_socket_repl"), todo("custom_conf"),
                    todo("callbacks", "Steward publishes every transition as an event instead"), todo("pre_promote"),
                    todo("before_stop"), todo("create_replica_methods", "Steward clones with pg_basebackup"),
                    todo("recovery_conf"), todo("pg_ident"), todo("rewind"), todo("parameters_primary"),
                    todo("parameters_replica"), todo("pg_hba_primary"), todo("pg_hba_replica")),
            open("tags"),
            section("watchdog", read("safety_margin"), read("directory"),
                    todo("mode", "Steward fences with its own watchdog process, not /dev/watchdog"), todo("device")),
            section("log", read("level"), todo("format"), todo("type"), todo("dir"), todo("file_num"),
                    todo("file_size"), todo("loggers"), todo("traceback_level"), todo("dateformat"),
                    todo("max_queue_size"), todo("static_fields"), todo("mode"), todo("deduplicate_heartbeat_logs")),
            section("citus", read("group"), read("database")),
            todo("thread_pool_size"), todo("thread_stack_size"));

    private KnownKeys() {
    }

    /** Warns about every unknown or not-implemented key under {@code tree}. */
    static void check(Map<String, Object> tree, ConfigProblems problems) {
        check(ROOT, tree, "", problems);
    }

    @SuppressWarnings("unchecked")
    private static void check(Key section, Map<String, Object> tree, String path, ConfigProblems problems) {
        for (Map.Entry<String, Object> entry : tree.entrySet()) {
            String keyPath = path.isEmpty() ? entry.getKey() : path + "." + entry.getKey();
            Key key = section.children().get(entry.getKey());
            if (key == null) {
                String suggestion = closest(entry.getKey(), section.children().keySet().stream()
                        .filter(known -> !tree.containsKey(known)).toList());
                if (suggestion == null) {
                    problems.warning(keyPath, "unknown key, ignored");
                } else {
                    // a misspelt key would silently lose what its author meant: refuse it
                    problems.error(keyPath, "unknown key; did you mean " + (path.isEmpty() ? "" : path + ".")
                            + suggestion + "?");
                }
                continue;
            }
            if (key.status() == Status.NOT_IMPLEMENTED) {
                problems.warning(keyPath, "not implemented by Steward, ignored" + (key.note() == null ? "" : ": " + key.note()));
            } else if (key.isSection() && entry.getValue() instanceof Map<?, ?> map) {
                check(key, (Map<String, Object>) map, keyPath, problems);
            }
        }
    }

    /** The known key closest to {@code key}, if it is close enough to be a typo. */
    static String closest(String key, List<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int distance = distance(key.toLowerCase(), candidate);
            if (distance < bestDistance) {
                bestDistance = distance;
                best = candidate;
            }
        }
        return best != null && bestDistance <= Math.max(2, key.length() / 4) ? best : null;
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static Key section(String name, Key... children) {
        Map<String, Key> map = new LinkedHashMap<>();
        for (Key child : children) {
            map.put(child.name(), child);
        }
        return new Key(name, Status.READ, null, map);
    }

    private static Key read(String name) {
        return new Key(name, Status.READ, null, Map.of());
    }

    private static Key open(String name) {
        return new Key(name, Status.OPEN, null, Map.of());
    }

    private static Key todo(String name) {
        return todo(name, null);
    }

    private static Key todo(String name, String note) {
        return new Key(name, Status.NOT_IMPLEMENTED, note, Map.of());
    }

    private static Key credentials(String name) {
        return section(name, read("username"), read("password"), read("sslmode"), read("sslkey"), read("sslcert"),
                read("sslrootcert"), todo("sslpassword"), todo("sslcrl"), todo("sslcrldir"), todo("sslnegotiation"),
                todo("gssencmode"), todo("channel_binding"));
    }

    private static Key etcd(String name) {
        return section(name, read("host"), read("hosts"), read("url"), read("protocol"), read("username"),
                read("password"), todo("cacert", "TLS to etcd is not implemented yet"), todo("cert"), todo("key"),
                todo("srv"), todo("srv_suffix"),
                todo("proxy"), todo("use_proxies"), todo("retry_timeout"));
    }
}
