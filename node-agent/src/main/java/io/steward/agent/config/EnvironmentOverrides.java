package io.steward.agent.config;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Environment variables override the YAML, as in Patroni: {@code PATRONI_*} for compatibility and
 * {@code STEWARD_*}, which wins when both are set. {@code PATRONI_CONFIGURATION} (or
 * {@code STEWARD_CONFIGURATION}) holds a whole YAML document used instead of the file.
 */
public final class EnvironmentOverrides {

    /** Variable suffix → key path; list-valued ones take comma-separated values. */
    private static final Map<String, String> PATHS = paths();
    private static final List<String> LISTS = List.of("etcd3.hosts", "etcd.hosts", "restapi.allowlist");

    private EnvironmentOverrides() {
    }

    /** The YAML document to use instead of the file, if the environment holds one. */
    public static String wholeConfiguration(Map<String, String> environment) {
        String steward = environment.get("STEWARD_CONFIGURATION");
        return steward != null ? steward : environment.get("PATRONI_CONFIGURATION");
    }

    /** Applies the overrides to {@code tree} in place. */
    public static void apply(Map<String, Object> tree, Map<String, String> environment) {
        for (String prefix : List.of("PATRONI_", "STEWARD_")) {
            PATHS.forEach((suffix, path) -> {
                String value = environment.get(prefix + suffix);
                if (value != null) {
                    set(tree, path, LISTS.contains(path) ? Arrays.stream(value.split(",")).map(String::strip)
                            .filter(s -> !s.isEmpty()).map(s -> (Object) s).toList() : value);
                }
            });
        }
    }

    @SuppressWarnings("unchecked")
    private static void set(Map<String, Object> tree, String path, Object value) {
        String[] parts = path.split("\\.");
        Map<String, Object> current = tree;
        for (int i = 0; i < parts.length - 1; i++) {
            Object child = current.get(parts[i]);
            if (!(child instanceof Map<?, ?>)) {
                child = new LinkedHashMap<String, Object>();
                current.put(parts[i], child);
            }
            current = (Map<String, Object>) child;
        }
        current.put(parts[parts.length - 1], value);
    }

    private static Map<String, String> paths() {
        Map<String, String> paths = new LinkedHashMap<>();
        paths.put("NAME", "name");
        paths.put("SCOPE", "scope");
        paths.put("NAMESPACE", "namespace");
        for (String key : List.of("LISTEN", "CONNECT_ADDRESS", "CERTFILE", "KEYFILE", "KEYFILE_PASSWORD", "CAFILE",
                "ALLOWLIST")) {
            paths.put("RESTAPI_" + key, "restapi." + key.toLowerCase());
        }
        paths.put("RESTAPI_USERNAME", "restapi.authentication.username");
        paths.put("RESTAPI_PASSWORD", "restapi.authentication.password");
        for (String key : List.of("LISTEN", "CONNECT_ADDRESS", "DATA_DIR", "BIN_DIR", "CONFIG_DIR", "PGPASS")) {
            paths.put("POSTGRESQL_" + key, "postgresql." + key.toLowerCase());
        }
        for (String user : List.of("SUPERUSER", "REPLICATION", "REWIND")) {
            for (String key : List.of("USERNAME", "PASSWORD", "SSLMODE", "SSLKEY", "SSLCERT", "SSLROOTCERT")) {
                paths.put(user + "_" + key, "postgresql.authentication." + user.toLowerCase() + "." + key.toLowerCase());
            }
        }
        for (String section : List.of("ETCD3", "ETCD")) {
            for (String key : List.of("HOST", "HOSTS", "URL", "PROTOCOL", "USERNAME", "PASSWORD", "CACERT", "CERT", "KEY")) {
                paths.put(section + "_" + key, section.toLowerCase() + "." + key.toLowerCase());
            }
        }
        paths.put("CITUS_GROUP", "citus.group");
        paths.put("CITUS_DATABASE", "citus.database");
        paths.put("LOG_LEVEL", "log.level");
        paths.put("KAFKA_BOOTSTRAP_SERVERS", "kafka.bootstrap_servers");
        paths.put("KAFKA_TOPIC_PREFIX", "kafka.topic_prefix");
        paths.put("KAFKA_HEARTBEAT_INTERVAL", "kafka.heartbeat_interval");
        return paths;
    }
}
