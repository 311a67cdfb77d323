package io.steward.agent.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.steward.agent.config.AgentConfig.Bootstrap;
import io.steward.agent.config.AgentConfig.Citus;
import io.steward.agent.config.AgentConfig.Credentials;
import io.steward.agent.config.AgentConfig.Etcd;
import io.steward.agent.config.AgentConfig.HostPort;
import io.steward.agent.config.AgentConfig.Kafka;
import io.steward.agent.config.AgentConfig.Postgres;
import io.steward.agent.config.AgentConfig.RestApi;
import io.steward.core.config.ConfigTree;
import io.steward.core.config.DynamicConfig;
import io.steward.core.model.Tags;

/**
 * Reads a member's YAML tree into an {@link AgentConfig}, collecting every problem with its key
 * path. Values that are wrong are errors; what Patroni tolerates (an invalid dynamic value that
 * falls back to its default, keys it ignores) is a warning, so existing Patroni files load.
 */
public final class AgentConfigReader {

    static final Path DEFAULT_BIN_DIR = Path.of("/usr/lib/postgresql/15/bin");
    private static final Set<String> INITDB_FORBIDDEN = Set.of("pgdata", "nosync", "pwfile", "sync-only", "version");
    private static final Set<String> BASEBACKUP_FORBIDDEN = Set.of("pgdata", "format", "wal-method", "host", "port",
            "username", "dbname", "write-recovery-conf", "slot", "create-slot", "gzip", "compress");
    private static final Set<String> LOG_LEVELS = Set.of("DEBUG", "INFO", "WARNING", "WARN", "ERROR", "CRITICAL");

    private final Map<String, Object> tree;
    private final ConfigProblems problems;
    private final boolean checkMachine;

    /**
     * @param checkMachine whether paths must exist on this machine (true when starting the agent;
     *                     false when validating a file meant for another host)
     */
    public AgentConfigReader(Map<String, Object> tree, ConfigProblems problems, boolean checkMachine) {
        this.tree = tree;
        this.problems = problems;
        this.checkMachine = checkMachine;
    }

    /** Reads everything; check {@link ConfigProblems#hasErrors()} before using the result. */
    public AgentConfig read(String osUser) {
        KnownKeys.check(tree, problems);
        String scope = requiredString("scope");
        String name = requiredString("name");
        String namespace = string("namespace", "/service/");
        RestApi restapi = restapi();
        Etcd etcd = etcd();
        Kafka kafka = kafka();
        Bootstrap bootstrap = bootstrap();
        Postgres postgres = postgres(osUser);
        Tags tags = tags();
        Duration margin = safetyMargin(bootstrap);
        AgentConfig.Citus citus = citus();
        String level = string("log.level", "INFO").toUpperCase(Locale.ROOT);
        if (!LOG_LEVELS.contains(level)) {
            problems.error("log.level", "must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL, got '" + level + "'");
        }
        Path watchdogDirectory = string("watchdog.directory", null) == null ? null
                : Path.of(string("watchdog.directory", null));
        if (watchdogDirectory != null && !watchdogDirectory.isAbsolute()) {
            problems.error("watchdog.directory", "must be an absolute path, got '" + watchdogDirectory + "'");
        }
        return new AgentConfig(scope, namespace, name, restapi, etcd, kafka, bootstrap, postgres, tags, margin,
                watchdogDirectory, citus,
                level.equals("WARNING") ? "WARN" : level.equals("CRITICAL") ? "ERROR" : level);
    }

    // ---- sections ---------------------------------------------------------------------------

    private RestApi restapi() {
        HostPort listen = hostPort("restapi.listen", true);
        HostPort connect = tree("restapi").containsKey("connect_address") ? hostPort("restapi.connect_address", true)
                : listen;
        String username = string("restapi.authentication.username", null);
        String password = string("restapi.authentication.password", null);
        if ((username == null) != (password == null)) {
            problems.error("restapi.authentication", "needs both username and password");
        }
        Path certfile = existingPath("restapi.certfile");
        Path keyfile = existingPath("restapi.keyfile");
        if (certfile != null && keyfile == null) {
            keyfile = certfile; // as in Patroni, the private key may follow the certificate in one file
        }
        return new RestApi(listen, connect, username, password, stringList("restapi.allowlist"), certfile, keyfile,
                string("restapi.keyfile_password", null), existingPath("restapi.cafile"));
    }

    private Etcd etcd() {
        String section = tree.containsKey("etcd3") ? "etcd3" : tree.containsKey("etcd") ? "etcd" : null;
        if (section == null) {
            problems.error("etcd3", "required: the etcd cluster that holds the leader lease (hosts, host or url)");
            return new Etcd(List.of(), null, null);
        }
        if (section.equals("etcd")) {
            problems.warning("etcd", "Steward talks to these hosts with etcd's v3 API (as Patroni's etcd3 section does)");
        }
        String protocol = string(section + ".protocol", "http");
        if (protocol.equals("https")) {
            problems.error(section + ".protocol", "TLS to etcd is not supported yet: use http (the connection "
                    + "would otherwise not be encrypted although the configuration asks for it)");
        } else if (!protocol.equals("http")) {
            problems.error(section + ".protocol", "must be http, got '" + protocol + "'");
        }
        List<String> endpoints = new ArrayList<>();
        String url = string(section + ".url", null);
        if (url != null) {
            if (url.startsWith("https://")) {
                problems.error(section + ".url", "TLS to etcd is not supported yet: use an http:// URL");
            }
            endpoints.add(url);
        }
        List<String> hosts = new ArrayList<>(stringList(section + ".hosts"));
        String host = string(section + ".host", null);
        if (host != null) {
            hosts.add(host);
        }
        for (String entry : hosts) {
            for (String one : entry.split(",")) {
                HostPort parsed = parseHostPort(section + ".hosts", one.strip(), true);
                if (parsed != null) {
                    endpoints.add(protocol + "://" + parsed);
                }
            }
        }
        if (endpoints.isEmpty()) {
            problems.error(section, "needs hosts, host or url");
        }
        return new Etcd(endpoints, string(section + ".username", null), string(section + ".password", null));
    }

    private Kafka kafka() {
        if (!tree.containsKey("kafka")) {
            problems.warning("kafka", "missing: using Kafka at 127.0.0.1:9092 and topics prefixed 'steward.'");
        }
        double interval = number("kafka.heartbeat_interval", 1.0);
        if (interval < 0.1 || interval > 60) {
            problems.error("kafka.heartbeat_interval", "must be between 0.1 and 60 seconds, got " + interval);
            interval = 1.0;
        }
        Map<String, String> properties = new TreeMap<>();
        tree("kafka.properties").forEach((key, value) -> properties.put(key, String.valueOf(value)));
        return new Kafka(string("kafka.bootstrap_servers", "127.0.0.1:9092"), string("kafka.topic_prefix", "steward."),
                Duration.ofMillis((long) (interval * 1000)), properties, existingPath("kafka.writer_key_file"));
    }

    private Bootstrap bootstrap() {
        ConfigTree dcs = ConfigTree.of(tree("bootstrap.dcs"));
        DynamicConfig.Parsed parsed = DynamicConfig.parse(1, dcs);
        // As Patroni does, an invalid dynamic value falls back to its default with a warning.
        parsed.errors().forEach(e -> problems.warning("bootstrap.dcs." + e.substring(0, e.indexOf(':')),
                e.substring(e.indexOf(':') + 2) + "; the default is used"));
        parsed.warnings().forEach(w -> problems.warning("bootstrap.dcs." + w.substring(0, w.indexOf(':')),
                w.substring(w.indexOf(':') + 2)));
        Object keepSegments = dcs.get("postgresql.parameters.wal_keep_segments");
        if (keepSegments != null) {
            problems.warning("bootstrap.dcs.postgresql.parameters.wal_keep_segments", "PostgreSQL 13 and later use "
                    + "wal_keep_size; " + keepSegments + " segments become wal_keep_size " + keepSizeFor(keepSegments));
        }
        String method = string("bootstrap.method", "initdb");
        if (!method.equals("initdb")) {
            problems.warning("bootstrap.method", "custom bootstrap methods are not implemented; initdb is used");
        }
        return new Bootstrap(dcs, options("bootstrap.initdb", INITDB_FORBIDDEN), stringList("bootstrap.pg_hba"));
    }

    private Postgres postgres(String osUser) {
        String listen = requiredString("postgresql.listen");
        List<String> hosts = new ArrayList<>();
        int port = 5432;
        if (listen != null) {
            int colon = listen.lastIndexOf(':');
            if (colon <= 0 || colon == listen.length() - 1) {
                problems.error("postgresql.listen", "must be host:port or host1,host2:port, got '" + listen + "'");
            } else {
                port = port("postgresql.listen", listen.substring(colon + 1));
                for (String host : listen.substring(0, colon).split(",")) {
                    hosts.add(host.strip());
                }
            }
        }
        HostPort connect = tree("postgresql").containsKey("connect_address")
                ? hostPort("postgresql.connect_address", true) : null;
        if (connect == null) {
            String first = hosts.isEmpty() ? "127.0.0.1" : hosts.get(0);
            if (first.equals("0.0.0.0") || first.equals("*") || first.equals("::")) {
                problems.error("postgresql.connect_address", "required when postgresql.listen is a wildcard address");
            }
            connect = new HostPort(first, port);
        }
        Path dataDir = path("postgresql.data_dir", true);
        Path binDir = path("postgresql.bin_dir", false);
        if (binDir == null) {
            binDir = DEFAULT_BIN_DIR;
        }
        if (!Files.isExecutable(binDir.resolve("postgres"))) {
            String message = "no PostgreSQL binaries in " + binDir;
            if (checkMachine) {
                problems.error("postgresql.bin_dir", message);
            } else {
                problems.warning("postgresql.bin_dir", message + " on this machine");
            }
        }
        Path configDir = path("postgresql.config_dir", false);
        Path pgpass = path("postgresql.pgpass", false);
        Credentials superuser = credentials("superuser", "postgres");
        Credentials replication = credentials("replication", "replicator");
        Credentials rewind = tree("postgresql.authentication").containsKey("rewind")
                ? credentials("rewind", superuser.username()) : superuser;
        Map<String, String> parameters = new LinkedHashMap<>();
        tree("postgresql.parameters").forEach((key, value) -> parameters.put(key, gucValue(value)));
        if (parameters.containsKey("wal_keep_segments")) {
            problems.warning("postgresql.parameters.wal_keep_segments", "PostgreSQL 13 and later use wal_keep_size; "
                    + parameters.get("wal_keep_segments") + " segments become wal_keep_size "
                    + keepSizeFor(parameters.get("wal_keep_segments")));
        }
        double pgCtlTimeout = number("postgresql.pg_ctl_timeout", 60);
        return new Postgres(hosts, port, connect, dataDir, binDir, configDir == null ? dataDir : configDir, pgpass,
                superuser, replication, rewind, parameters, stringList("postgresql.pg_hba"),
                Duration.ofMillis((long) (pgCtlTimeout * 1000)), bool("postgresql.use_unix_socket", false),
                bool("postgresql.remove_data_directory_on_rewind_failure", false),
                bool("postgresql.remove_data_directory_on_diverged_timelines", false),
                options("postgresql.basebackup", BASEBACKUP_FORBIDDEN), osUser);
    }

    private Credentials credentials(String role, String defaultUser) {
        String base = "postgresql.authentication." + role;
        return new Credentials(string(base + ".username", defaultUser), string(base + ".password", null),
                string(base + ".sslmode", null), string(base + ".sslkey", null), string(base + ".sslcert", null),
                string(base + ".sslrootcert", null));
    }

    private Tags tags() {
        Map<String, Object> tags = tree("tags");
        Map<String, String> custom = new TreeMap<>();
        Set<String> known = Set.of("nofailover", "failover_priority", "noloadbalance", "clonefrom", "replicatefrom",
                "nosync", "sync_priority", "nostream");
        tags.forEach((key, value) -> {
            if (!known.contains(key)) {
                custom.put(key, String.valueOf(value));
            }
        });
        boolean nofailover = bool("tags.nofailover", false);
        Integer failoverPriority = tags.containsKey("failover_priority") ? (int) integer("tags.failover_priority", 1) : null;
        if (nofailover && failoverPriority != null && failoverPriority > 0) {
            problems.warning("tags", "Conflicting configuration between nofailover: True and failover_priority: "
                    + failoverPriority + ". Defaulting to nofailover: True");
        }
        boolean nosync = bool("tags.nosync", false);
        Integer syncPriority = tags.containsKey("sync_priority") ? (int) integer("tags.sync_priority", 1) : null;
        if (nosync && syncPriority != null && syncPriority > 0) {
            problems.warning("tags", "Conflicting configuration between nosync: True and sync_priority: "
                    + syncPriority + ". Defaulting to nosync: True");
        }
        return new Tags(nofailover, failoverPriority, bool("tags.noloadbalance", false), bool("tags.clonefrom", false),
                string("tags.replicatefrom", null), nosync, syncPriority, bool("tags.nostream", false), custom);
    }

    private Duration safetyMargin(Bootstrap bootstrap) {
        double margin = number("watchdog.safety_margin", 1.0);
        long ttlSeconds = DynamicConfig.parse(1, bootstrap.dcs()).config().ttl().toSeconds();
        if (margin < 0) {
            margin = ttlSeconds / 2.0; // Patroni: -1 means half the ttl
        }
        double minimum = io.steward.agent.lease.LeaseTiming.MIN_SAFETY_MARGIN.toMillis() / 1000.0;
        if (!(margin >= minimum)) { // NaN too
            problems.error("watchdog.safety_margin", "must be at least " + minimum + " s, got " + margin + " s: the "
                    + "fencing watchdog kills PostgreSQL up to " + minimum + " s after the agent's own deadline, which "
                    + "must still come before etcd can expire the leader lease");
            return io.steward.agent.lease.LeaseTiming.MIN_SAFETY_MARGIN;
        }
        if (margin >= ttlSeconds) {
            problems.warning("watchdog.safety_margin", margin + " s is not below ttl " + ttlSeconds
                    + " s; a quarter of the ttl is used");
            margin = ttlSeconds / 4.0;
        }
        return Duration.ofMillis((long) (margin * 1000));
    }

    private AgentConfig.Citus citus() {
        if (!tree.containsKey("citus")) {
            return null;
        }
        long group = integer("citus.group", 0);
        if (group < 0) {
            problems.error("citus.group", "must be 0 (coordinator) or more (workers), got " + group);
        }
        String database = requiredString("citus.database");
        return new Citus((int) group, database);
    }

    // ---- typed access -----------------------------------------------------------------------

    private Object value(String path) {
        Object current = tree;
        for (String part : path.split("\\.")) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(part);
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> tree(String path) {
        Object value = value(path);
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?>)) {
            problems.error(path, "must be a section of keys, got '" + value + "'");
            return Map.of();
        }
        return (Map<String, Object>) value;
    }

    private String requiredString(String path) {
        Object value = value(path);
        if (value == null) {
            problems.error(path, "required, missing");
            return null;
        }
        return scalarString(path, value);
    }

    private String string(String path, String fallback) {
        Object value = value(path);
        return value == null ? fallback : scalarString(path, value);
    }

    private String scalarString(String path, Object value) {
        if (value instanceof Map<?, ?> || value instanceof List<?>) {
            problems.error(path, "must be a single value, got " + (value instanceof Map<?, ?> ? "a section" : "a list"));
            return null;
        }
        return String.valueOf(value);
    }

    private long integer(String path, long fallback) {
        Object value = value(path);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Long number) {
            return number;
        }
        try {
            return Long.parseLong(String.valueOf(value).strip());
        } catch (NumberFormatException e) {
            problems.error(path, "must be a whole number, got '" + value + "'");
            return fallback;
        }
    }

    private double number(String path, double fallback) {
        Object value = value(path);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Number number) {
            return number.doubleValue();
        }
        try {
            return Double.parseDouble(String.valueOf(value).strip().replaceAll("s$", ""));
        } catch (NumberFormatException e) {
            problems.error(path, "must be a number (seconds), got '" + value + "'");
            return fallback;
        }
    }

    private boolean bool(String path, boolean fallback) {
        Object value = value(path);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Boolean flag) {
            return flag;
        }
        String text = String.valueOf(value).strip().toLowerCase(Locale.ROOT);
        return switch (text) {
            case "true", "on", "yes", "1" -> true;
            case "false", "off", "no", "0" -> false;
            default -> {
                problems.error(path, "must be true or false, got '" + value + "'");
                yield fallback;
            }
        };
    }

    private List<String> stringList(String path) {
        Object value = value(path);
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> list) {
            List<String> items = new ArrayList<>();
            for (Object item : list) {
                if (item instanceof Map<?, ?> || item instanceof List<?>) {
                    problems.error(path, "must be a list of values, got " + item);
                } else {
                    items.add(String.valueOf(item));
                }
            }
            return items;
        }
        return List.of(String.valueOf(value).split(",")).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** initdb and pg_basebackup options: "data-checksums" or {encoding: UTF8} become --flags. */
    private List<String> options(String path, Set<String> forbidden) {
        Object value = value(path);
        List<String> options = new ArrayList<>();
        if (value == null) {
            return options;
        }
        List<?> items = value instanceof List<?> list ? list : value instanceof Map<?, ?> map
                ? map.entrySet().stream().map(e -> Map.of(e.getKey(), e.getValue())).toList() : List.of(value);
        for (Object item : items) {
            if (item instanceof Map<?, ?> map) {
                map.forEach((key, inner) -> {
                    if (check(path, String.valueOf(key), forbidden)) {
                        options.add("--" + key + "=" + inner);
                    }
                });
            } else if (check(path, String.valueOf(item), forbidden)) {
                options.add("--" + item);
            }
        }
        return options;
    }

    private boolean check(String path, String option, Set<String> forbidden) {
        if (forbidden.contains(option)) {
            problems.error(path, "option '" + option + "' is set by Steward itself and may not be given");
            return false;
        }
        return true;
    }

    private HostPort hostPort(String path, boolean required) {
        String text = required ? requiredString(path) : string(path, null);
        return text == null ? null : parseHostPort(path, text, false);
    }

    private HostPort parseHostPort(String path, String text, boolean defaultEtcdPort) {
        String value = text.strip().replaceFirst("^[a-z]+://", "");
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            if (defaultEtcdPort && colon < 0 && !value.isEmpty()) {
                return new HostPort(value, 2379);
            }
            problems.error(path, "must be host:port, got '" + text + "'");
            return null;
        }
        return new HostPort(value.substring(0, colon), port(path, value.substring(colon + 1)));
    }

    private int port(String path, String text) {
        try {
            int port = Integer.parseInt(text.strip());
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            problems.error(path, "port must be a number from 0 to 65535, got '" + text + "'");
            return 0;
        }
    }

    private Path path(String path, boolean required) {
        String text = required ? requiredString(path) : string(path, null);
        return text == null || text.isBlank() ? null : Path.of(text);
    }

    private Path existingPath(String path) {
        Path file = path(path, false);
        if (file != null && !Files.isReadable(file)) {
            if (checkMachine) {
                problems.error(path, file + " cannot be read");
            } else {
                problems.warning(path, file + " does not exist on this machine");
            }
        }
        return file;
    }

    private static String gucValue(Object value) {
        return value instanceof Boolean flag ? (flag ? "on" : "off") : String.valueOf(value);
    }

    /** Patroni's conversion for PostgreSQL 13+: each WAL segment is 16 MB. */
    static String keepSizeFor(Object segments) {
        try {
            return Long.parseLong(String.valueOf(segments).strip()) * 16 + "MB";
        } catch (NumberFormatException e) {
            return "128MB";
        }
    }
}
