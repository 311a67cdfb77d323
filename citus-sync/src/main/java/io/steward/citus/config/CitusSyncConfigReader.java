package io.steward.citus.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads citus-sync's YAML. Every problem (malformed YAML, an unknown key, a missing or wrong value)
 * is collected and reported together, with the key's path, before anything starts:
 *
 * <pre>
 * name: citus-sync-1
 * scope: demo               # the agents' scope
 * citus:
 *   database: citus         # the agents' citus.database
 *   lock_cooldown: 10000    # ms; citus_update_node's lock_cooldown
 *   pause_timeout: 30       # s; how long statements may wait for a worker group's new primary
 * kafka:
 *   bootstrap_servers: 127.0.0.1:9092
 *   topic_prefix: steward.
 *   properties: {}          # further Kafka client settings
 *   writer_key_file: ...    # the key its reports are sealed with (steward-decider writer-key citus-sync)
 * postgresql:
 *   authentication:
 *     superuser: {username: postgres, password: secret, sslmode: prefer}
 * </pre>
 */
public final class CitusSyncConfigReader {

    private static final Map<String, Set<String>> SECTIONS = Map.of(
            "", Set.of("name", "scope", "citus", "kafka", "postgresql"),
            "citus", Set.of("database", "lock_cooldown", "pause_timeout"),
            "kafka", Set.of("bootstrap_servers", "topic_prefix", "properties", "writer_key_file"),
            "postgresql", Set.of("authentication"),
            "postgresql.authentication", Set.of("superuser"),
            "postgresql.authentication.superuser", Set.of("username", "password", "sslmode"));

    private final List<String> problems = new ArrayList<>();
    private final Map<String, Object> root;

    private CitusSyncConfigReader(Map<String, Object> root) {
        this.root = root;
    }

    /** The configuration in {@code file}; throws {@link IllegalArgumentException} listing every problem. */
    public static CitusSyncConfig read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return parse(text, file.toString());
    }

    public static CitusSyncConfig parse(String yaml, String source) {
        Object loaded;
        try {
            loaded = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        } catch (YAMLException e) {
            throw new IllegalArgumentException(source + " is not valid YAML: " + e.getMessage(), e);
        }
        if (!(loaded instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException(source + ": expected a mapping at the top level");
        }
        @SuppressWarnings("unchecked")
        CitusSyncConfigReader reader = new CitusSyncConfigReader((Map<String, Object>) map);
        CitusSyncConfig config = reader.config();
        if (!reader.problems.isEmpty()) {
            throw new IllegalArgumentException(source + " has " + reader.problems.size() + " problem(s):\n  - "
                    + String.join("\n  - ", reader.problems));
        }
        return config;
    }

    private CitusSyncConfig config() {
        checkKeys("", root);
        String name = string("name", "citus-sync");
        String scope = required("scope");
        String database = required("citus.database");
        long cooldown = number("citus.lock_cooldown", 10_000);
        if (cooldown < 0 || cooldown > Integer.MAX_VALUE) {
            problems.add("citus.lock_cooldown: must be 0 or more milliseconds, got " + cooldown);
        }
        long pause = number("citus.pause_timeout", 30);
        if (pause < 1) {
            problems.add("citus.pause_timeout: must be at least 1 second, got " + pause);
        }
        String servers = required("kafka.bootstrap_servers");
        String prefix = string("kafka.topic_prefix", "steward.");
        Map<String, String> properties = new LinkedHashMap<>();
        if (value("kafka.properties") instanceof Map<?, ?> map) {
            map.forEach((key, value) -> properties.put(String.valueOf(key), String.valueOf(value)));
        } else if (value("kafka.properties") != null) {
            problems.add("kafka.properties: expected a mapping");
        }
        String username = string("postgresql.authentication.superuser.username", "postgres");
        String password = string("postgresql.authentication.superuser.password", null);
        String sslmode = string("postgresql.authentication.superuser.sslmode", null);
        if (!problems.isEmpty()) {
            return null;
        }
        String keyFile = string("kafka.writer_key_file", null);
        return new CitusSyncConfig(name, scope, database, (int) cooldown, java.time.Duration.ofSeconds(pause), servers,
                prefix, properties, keyFile == null ? null : java.nio.file.Path.of(keyFile),
                new CitusSyncConfig.Login(username, password, sslmode));
    }

    private void checkKeys(String path, Map<?, ?> section) {
        Set<String> known = SECTIONS.get(path);
        for (Map.Entry<?, ?> entry : section.entrySet()) {
            String key = String.valueOf(entry.getKey());
            String full = path.isEmpty() ? key : path + "." + key;
            if (!known.contains(key)) {
                problems.add(full + ": unknown key (known here: " + String.join(", ", new java.util.TreeSet<>(known)) + ")");
            } else if (SECTIONS.containsKey(full)) {
                if (entry.getValue() instanceof Map<?, ?> child) {
                    checkKeys(full, child);
                } else if (entry.getValue() != null) {
                    problems.add(full + ": expected a mapping");
                }
            }
        }
    }

    private Object value(String path) {
        Object current = root;
        for (String part : path.split("\\.")) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(part);
        }
        return current;
    }

    private String required(String path) {
        String value = string(path, null);
        if (value == null || value.isBlank()) {
            problems.add(path + ": required");
        }
        return value;
    }

    private String string(String path, String otherwise) {
        Object value = value(path);
        if (value == null) {
            return otherwise;
        }
        if (value instanceof Map || value instanceof List) {
            problems.add(path + ": expected a value, got a " + (value instanceof Map ? "mapping" : "list"));
            return otherwise;
        }
        return String.valueOf(value);
    }

    private long number(String path, long otherwise) {
        Object value = value(path);
        if (value == null) {
            return otherwise;
        }
        try {
            return Long.parseLong(String.valueOf(value).strip());
        } catch (NumberFormatException e) {
            problems.add(path + ": expected a whole number, got '" + value + "'");
            return otherwise;
        }
    }
}
