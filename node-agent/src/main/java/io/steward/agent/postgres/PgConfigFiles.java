package io.steward.agent.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.steward.agent.config.AgentConfig;
import io.steward.core.config.DynamicConfig;

/**
 * The configuration files Steward owns in the data directory, and the command-line settings.
 *
 * <p>Layers, lowest first, as in Patroni: {@code postgresql.base.conf} (initdb's file, kept as
 * it was, included first), then the dynamic parameters, then the member's local parameters (which
 * win), all in {@code postgresql.conf}; then {@code postgresql.auto.conf} (ALTER SYSTEM); then the
 * command line, which beats everything and carries the settings every member must share (from the
 * dynamic configuration only) and the member's own port, addresses and name. pg_rewind and
 * pg_basebackup copy the source's files; they are rewritten after each.
 */
final class PgConfigFiles {

    static final String BASE = "postgresql.base.conf";
    private static final Set<String> RECOVERY_KEYS = Set.of("primary_conninfo", "primary_slot_name",
            "recovery_target_timeline", "restore_command", "promote_trigger_file");
    private static final Set<String> MEMBER_KEYS = Set.of("port", "listen_addresses", "cluster_name",
            "hba_file", "ident_file", "data_directory", "config_file");

    private final AgentConfig config;
    private final OsUser user;

    PgConfigFiles(AgentConfig config, OsUser user) {
        this.config = config;
        this.user = user;
    }

    private Path dataDir() {
        return config.postgresql().dataDir();
    }

    /** The settings on the postmaster's command line: the member's own, and the cluster-wide ones. */
    List<String> commandLine(DynamicConfig dynamic) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("port", Integer.toString(config.postgresql().port()));
        settings.put("listen_addresses", String.join(",", config.postgresql().listenHosts()));
        settings.put("cluster_name", config.scope());
        settings.putAll(clusterWide(dynamic));
        List<String> args = new ArrayList<>();
        settings.forEach((key, value) -> {
            args.add("-c");
            args.add(key + "=" + value);
        });
        return args;
    }

    /**
     * The settings every member must share, from the dynamic configuration; a Citus member also
     * needs {@code wal_level logical} and prepared transactions (twice {@code max_connections}
     * unless set), as Patroni gives it.
     */
    Map<String, String> clusterWide(DynamicConfig dynamic) {
        Map<String, String> wide = new TreeMap<>(dynamic.clusterWideParameters());
        if (config.citus() != null) {
            wide.put("wal_level", "logical");
            if (isZero(wide.get("max_prepared_transactions"))) {
                wide.put("max_prepared_transactions", Long.toString(2 * number(wide.get("max_connections"), 100)));
            }
        }
        return wide;
    }

    private static boolean isZero(String value) {
        return value == null || number(value, 0) == 0;
    }

    private static long number(String value, long otherwise) {
        try {
            return value == null ? otherwise : Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    /**
     * {@code shared_preload_libraries} with {@code citus} first (Citus must be loaded before any
     * other library), and {@code citus.local_hostname}: where Citus reaches this instance itself.
     */
    private void citusFileSettings(Map<String, String> settings) {
        List<String> libraries = new ArrayList<>();
        libraries.add("citus");
        String configured = settings.getOrDefault("shared_preload_libraries", "").replace("'", "");
        for (String library : configured.split(",")) {
            String name = library.strip();
            if (!name.isEmpty() && !name.equals("citus")) {
                libraries.add(name);
            }
        }
        settings.put("shared_preload_libraries", String.join(",", libraries));
        settings.putIfAbsent("citus.local_hostname", PgConnections.localHost(config));
    }

    /** Every setting {@code postgresql.conf} holds, for a standby of {@code upstream} or a primary (null). */
    Map<String, String> fileSettings(DynamicConfig dynamic, Recovery recovery) {
        Map<String, String> settings = new TreeMap<>();
        Set<String> clusterWide = clusterWide(dynamic).keySet();
        dynamic.parameters().forEach((key, value) -> {
            if (!clusterWide.contains(key) && !MEMBER_KEYS.contains(key)) {
                settings.put(key, value);
            }
        });
        config.postgresql().parameters().forEach((key, value) -> {
            if (!clusterWide.contains(key) && !MEMBER_KEYS.contains(key)) {
                settings.put(key, value);
            }
        });
        String keepSegments = settings.remove("wal_keep_segments");
        if (keepSegments != null && !config.postgresql().parameters().containsKey("wal_keep_size")) {
            try {
                settings.put("wal_keep_size", Long.parseLong(keepSegments.strip()) * 16 + "MB");
            } catch (NumberFormatException ignored) {
                // an unreadable segment count keeps the default wal_keep_size
            }
        }
        if (config.citus() != null) {
            citusFileSettings(settings);
        }
        if (recovery != null) {
            settings.put("primary_conninfo", recovery.conninfo());
            if (recovery.slot() != null) {
                settings.put("primary_slot_name", recovery.slot());
            }
            settings.put("recovery_target_timeline", "latest");
        }
        return settings;
    }

    /** Where a standby streams from. */
    record Recovery(String upstream, String conninfo, String slot) {
    }

    /** Writes postgresql.conf (keeping initdb's file as the base) and, when configured, pg_hba.conf. */
    void write(DynamicConfig dynamic, Recovery recovery) {
        Path conf = dataDir().resolve("postgresql.conf");
        Path base = dataDir().resolve(BASE);
        try {
            if (!Files.exists(base) && Files.exists(conf)) {
                Files.move(conf, base, StandardCopyOption.REPLACE_EXISTING);
            }
            StringBuilder out = new StringBuilder("# Written by Steward; changes are overwritten.\n"
                    + "# Local settings belong in the member's YAML (postgresql.parameters),\n"
                    + "# cluster-wide ones in the dynamic configuration (stewardctl edit-config).\n"
                    + "include_if_exists '" + BASE + "'\n\n");
            fileSettings(dynamic, recovery).forEach((key, value) ->
                    out.append(key).append(" = '").append(value.replace("'", "''")).append("'\n"));
            writeOwned(conf, out.toString());
            List<String> hba = !config.postgresql().pgHba().isEmpty() ? config.postgresql().pgHba() : dynamic.pgHba();
            if (!hba.isEmpty()) {
                writeOwned(dataDir().resolve("pg_hba.conf"), "# Written by Steward\n" + String.join("\n", hba) + "\n");
            }
            stripRecoveryFromAutoConf();
            Path signal = dataDir().resolve("standby.signal");
            if (recovery != null) {
                if (!Files.exists(signal)) {
                    writeOwned(signal, "");
                }
            } else {
                Files.deleteIfExists(signal);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write PostgreSQL's configuration in " + dataDir(), e);
        }
    }

    /** pg_hba.conf lines for a new cluster (bootstrap.pg_hba), if any. */
    void writeBootstrapHba(List<String> lines) {
        if (!lines.isEmpty()) {
            writeOwned(dataDir().resolve("pg_hba.conf"), "# Written by Steward at bootstrap\n" + String.join("\n", lines)
                    + "\n");
        }
    }

    /** Removes standby.signal and recovery.signal: single-user mode refuses to start with them. */
    void removeSignals() {
        try {
            Files.deleteIfExists(dataDir().resolve("standby.signal"));
            Files.deleteIfExists(dataDir().resolve("recovery.signal"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the recovery signal files in " + dataDir(), e);
        }
    }

    /** Whether the data directory says it is a standby. */
    boolean isStandby() {
        return Files.exists(dataDir().resolve("standby.signal"));
    }

    /**
     * pg_basebackup and pg_rewind copy the source's postgresql.auto.conf: its recovery settings are
     * the source's, not ours. Everything else in it (ALTER SYSTEM) is kept.
     */
    private void stripRecoveryFromAutoConf() throws IOException {
        Path auto = dataDir().resolve("postgresql.auto.conf");
        if (!Files.exists(auto)) {
            return;
        }
        List<String> kept = new ArrayList<>();
        boolean changed = false;
        for (String line : Files.readAllLines(auto, StandardCharsets.UTF_8)) {
            String key = line.strip().split("[\\s=]", 2)[0];
            if (RECOVERY_KEYS.contains(key)) {
                changed = true;
            } else {
                kept.add(line);
            }
        }
        if (changed) {
            writeOwned(auto, String.join("\n", kept) + "\n");
        }
    }

    private void writeOwned(Path file, String text) {
        try {
            boolean existed = Files.exists(file);
            Files.writeString(file, text, StandardCharsets.UTF_8);
            if (!existed) {
                user.own(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
