package io.steward.agent.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.steward.agent.config.AgentConfig;
import io.steward.agent.config.AgentConfig.Credentials;
import io.steward.core.config.DynamicConfig;
import io.steward.core.model.Lsn;

/**
 * The one owner of the local PostgreSQL instance: initdb, start and stop, promote, follow, clone,
 * rewind, reload, roles and slots. Every pg_ctl-like action, every PostgreSQL program and every
 * statement that changes the instance goes through here (observation is {@link PostgresProbe}).
 *
 * <p>Not thread-safe: the agent drives it from one thread.
 */
public final class PostgresController implements LocalInstance {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresController.class);

    /** A primary's timeline: the one its current WAL file is named after. */
    static final String PRIMARY_TIMELINE =
            "SELECT ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int";

    private final AgentConfig config;
    private final Path dataDir;
    private final Path stateDir;
    private final OsUser user;
    private final PgTools tools;
    private final PgConfigFiles files;
    private final PgConnections connections;
    private final Postmaster postmaster;
    private final KeptConnection local;
    private Upstream upstream;

    public PostgresController(AgentConfig config, Path stateDir) {
        this.config = config;
        this.dataDir = config.postgresql().dataDir().toAbsolutePath();
        this.stateDir = stateDir;
        this.user = OsUser.forPostgres(config.postgresql().osUser());
        Path passfile = config.postgresql().pgpass() != null ? config.postgresql().pgpass().toAbsolutePath()
                : stateDir.resolve("pgpass");
        this.tools = new PgTools(config.postgresql().binDir(), user, Map.of("PGPASSFILE", passfile.toString(),
                "LC_ALL", "C.UTF-8", "PGCONNECT_TIMEOUT", "10"));
        this.files = new PgConfigFiles(config, user);
        this.connections = new PgConnections(config, passfile);
        this.local = new KeptConnection(connections::local);
        prepareStateDirectory(passfile);
        this.postmaster = new Postmaster(dataDir, stateDir, WatchdogDirectory.choose(config.watchdogDirectory(),
                dataDir, stateDir, user), tools, user);
        this.upstream = loadUpstream();
    }

    @Override
    public Path dataDir() {
        return dataDir;
    }

    public Path logFile() {
        return postmaster.logFile();
    }

    @Override
    public boolean hasData() {
        return Files.exists(dataDir.resolve("PG_VERSION"));
    }

    @Override
    public boolean isRunning() {
        return postmaster.isRunning();
    }

    public Long postmasterPid() {
        return postmaster.pid().orElse(null);
    }

    /** pg_controldata's fields; empty without data. */
    public Map<String, String> controlData() {
        return tools.controlData(dataDir);
    }

    @Override
    public Long systemIdentifier() {
        String value = controlData().get("Database system identifier");
        return value == null ? null : Long.parseUnsignedLong(value);
    }

    /** Whether the data directory is set up as a standby. */
    @Override
    public boolean isConfiguredAsStandby() {
        return files.isStandby();
    }

    @Override
    public Upstream upstream() {
        return upstream;
    }

    // ---- creating data ----------------------------------------------------------------------

    /** Runs initdb with {@code bootstrap.initdb}'s options, as the PostgreSQL user. */
    @Override
    public void initdb() {
        prepareDataDirectory();
        List<String> args = new ArrayList<>(List.of("-D", dataDir.toString(), "-U", config.postgresql().superuser().username()));
        Path pwfile = null;
        if (config.postgresql().superuser().password() != null) {
            pwfile = stateDir.resolve("initdb.pw");
            writeSecret(pwfile, config.postgresql().superuser().password() + "\n");
            args.add("--pwfile=" + pwfile);
        }
        args.addAll(config.bootstrap().initdbOptions());
        try {
            tools.runChecked("initdb", args, stateDir, Duration.ofMinutes(10), null);
        } finally {
            if (pwfile != null) {
                pwfile.toFile().delete();
            }
        }
        files.writeBootstrapHba(config.bootstrap().pgHba());
    }

    /** Copies the data directory from {@code host:port} with pg_basebackup, reporting progress. */
    @Override
    public void basebackup(String host, int port, Consumer<String> progress) {
        prepareDataDirectory();
        List<String> args = new ArrayList<>(List.of("--pgdata=" + dataDir, "-X", "stream", "-c", "fast", "--progress",
                "--verbose", "--dbname=host=" + host + " port=" + port + " user="
                        + config.postgresql().replication().username()));
        args.addAll(config.postgresql().basebackupOptions());
        tools.runChecked("pg_basebackup", args, stateDir, Duration.ofHours(6), progress);
    }

    /** Removes the data directory's contents (reinitialize). */
    @Override
    public void wipe() {
        if (isRunning()) {
            stop(StopMode.IMMEDIATE);
        }
        try (Stream<Path> paths = Files.exists(dataDir) ? Files.walk(dataDir) : Stream.empty()) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                if (!path.equals(dataDir)) {
                    Files.delete(path);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot wipe " + dataDir, e);
        }
    }

    // ---- running ----------------------------------------------------------------------------

    /** Starts as a primary (no standby.signal) and waits until it accepts connections. */
    @Override
    public void startPrimary(DynamicConfig dynamic) {
        setUpstream(null);
        files.write(dynamic, null);
        launchAndWait(dynamic);
    }

    /** Starts as a standby of {@code newUpstream} and waits until it accepts connections. */
    @Override
    public void startStandby(DynamicConfig dynamic, Upstream newUpstream) {
        setUpstream(newUpstream);
        files.write(dynamic, recovery(newUpstream));
        launchAndWait(dynamic);
    }

    /** Points a running standby at {@code newUpstream} without a restart (primary_conninfo reloads). */
    @Override
    public void repoint(DynamicConfig dynamic, Upstream newUpstream) {
        setUpstream(newUpstream);
        files.write(dynamic, recovery(newUpstream));
        postmaster.signal("HUP");
    }

    /** Rewrites the configuration files for the current role and reloads PostgreSQL. */
    @Override
    public void reload(DynamicConfig dynamic) {
        files.write(dynamic, files.isStandby() && upstream != null ? recovery(upstream) : null);
        postmaster.signal("HUP");
    }

    @Override
    public void stop(StopMode mode) {
        postmaster.stop(mode.signal(), mode == StopMode.IMMEDIATE ? Duration.ofSeconds(10)
                : config.postgresql().pgCtlTimeout());
        local.close();
    }

    /** Stops now (SIGQUIT): nothing more is written. The fence of a primary that lost its lease. */
    public void fence() {
        postmaster.stop(StopMode.IMMEDIATE.signal(), Duration.ofSeconds(5));
        local.close();
    }

    /**
     * The cluster-wide settings the postmaster's command line carries when it starts with
     * {@code dynamic} (the member's own port and addresses never change while it runs).
     */
    public java.util.Map<String, String> commandLineSettings(DynamicConfig dynamic) {
        return files.clusterWide(dynamic);
    }

    /** Arms the fencing watchdog to kill the postmaster at {@code uptimeHundredths}; 0 disarms. */
    public void fenceAt(long uptimeHundredths) {
        if (uptimeHundredths <= 0) {
            postmaster.disarm();
        } else {
            postmaster.arm(uptimeHundredths);
        }
    }

    private void launchAndWait(DynamicConfig dynamic) {
        postmaster.launch(files.commandLine(dynamic));
        long deadline = System.nanoTime() + config.postgresql().pgCtlTimeout().toNanos();
        SQLException last = null;
        boolean seenProcess = false;
        while (System.nanoTime() < deadline) {
            boolean running = postmaster.isRunning();
            seenProcess |= running;
            if (!running && seenProcess) {
                throw new PostgresException("PostgreSQL exited while starting; see " + logFile(), false);
            }
            try {
                local.use(statement -> null); // and keeps the connection for the next action (a promotion, say)
                LOG.info("PostgreSQL accepts connections on {}:{}", connections.localHost(), config.postgresql().port());
                return;
            } catch (SQLException e) {
                last = e;
            }
            sleep(50);
        }
        throw new PostgresException("PostgreSQL did not accept connections within " + config.postgresql().pgCtlTimeout()
                .toSeconds() + " s" + (last == null ? "" : ": " + last.getMessage()), true);
    }

    // ---- roles, promotion, replication ------------------------------------------------------

    /** Creates the replication and rewind roles a new cluster needs (superuser's password set by initdb). */
    @Override
    public void createRoles() {
        Credentials replication = config.postgresql().replication();
        Credentials rewind = config.postgresql().rewind();
        Credentials superuser = config.postgresql().superuser();
        execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = " + literal(replication.username())
                + ") THEN CREATE ROLE " + ident(replication.username()) + " WITH REPLICATION LOGIN; END IF; END $$",
                replication.password() == null ? null : "ALTER ROLE " + ident(replication.username()) + " PASSWORD "
                        + literal(replication.password()));
        if (!rewind.username().equals(superuser.username())) {
            execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = " + literal(rewind.username())
                            + ") THEN CREATE ROLE " + ident(rewind.username()) + " WITH LOGIN; END IF; END $$",
                    rewind.password() == null ? null : "ALTER ROLE " + ident(rewind.username()) + " PASSWORD "
                            + literal(rewind.password()),
                    "GRANT EXECUTE ON function pg_catalog.pg_ls_dir(text, boolean, boolean) TO " + ident(rewind.username()),
                    "GRANT EXECUTE ON function pg_catalog.pg_stat_file(text, boolean) TO " + ident(rewind.username()),
                    "GRANT EXECUTE ON function pg_catalog.pg_read_binary_file(text) TO " + ident(rewind.username()),
                    "GRANT EXECUTE ON function pg_catalog.pg_read_binary_file(text, bigint, bigint, boolean) TO "
                            + ident(rewind.username()));
        }
    }

    /**
     * Makes a new Citus member's primary ready, as Patroni does after initdb: the distributed
     * database with the {@code citus} extension, the superuser's password in {@code pg_dist_authinfo}
     * (for Citus's connections between nodes), and for the coordinator its own row in
     * {@code pg_dist_node} ({@code citus_set_coordinator_host}). Safe to run again.
     */
    @Override
    public void setUpCitus() {
        AgentConfig.Citus citus = config.citus();
        if (citus == null) {
            return;
        }
        if (queryValue("SELECT 1 FROM pg_database WHERE datname = " + literal(citus.database())) == null) {
            execute("CREATE DATABASE " + ident(citus.database()));
        }
        Credentials superuser = config.postgresql().superuser();
        try (Connection connection = connections.local(citus.database()); Statement statement = connection.createStatement()) {
            statement.execute("CREATE EXTENSION IF NOT EXISTS citus");
            if (superuser.password() != null) {
                connection.setAutoCommit(false);
                statement.execute("DELETE FROM pg_catalog.pg_dist_authinfo WHERE nodeid = 0 AND rolename = "
                        + literal(superuser.username()));
                statement.execute("INSERT INTO pg_catalog.pg_dist_authinfo (nodeid, rolename, authinfo) VALUES (0, "
                        + literal(superuser.username()) + ", " + literal("password=" + superuser.password()) + ")");
                connection.commit();
                connection.setAutoCommit(true);
            }
            if (citus.group() == 0) {
                var address = config.postgresql().connectAddress();
                statement.execute("SELECT pg_catalog.citus_set_coordinator_host(" + literal(address.host()) + ", "
                        + address.port() + ", 'primary', 'default')");
            }
        } catch (SQLException e) {
            throw new PostgresException("setting up Citus in database " + citus.database() + " failed: "
                    + e.getMessage(), e, true);
        }
        LOG.info("Citus set up in database {} (group {})", citus.database(), citus.group());
    }

    /** Promotes this standby; returns where its new timeline starts. */
    @Override
    public Promotion promote() {
        long start = System.nanoTime();
        // pg_promote(wait => true) looks every 100 ms whether recovery has ended; looking every 5 ms
        // here makes the new primary known up to 100 ms sooner. All on the kept connection: no
        // step waits for a new one.
        try {
            return local.use(statement -> {
                if (!value(statement, "SELECT pg_is_in_recovery()").equals("t")) {
                    return new Promotion(Lsn.parse(value(statement, "SELECT pg_current_wal_lsn()")), timeline(statement),
                            true);
                }
                if (!value(statement, "SELECT pg_promote(false)").equals("t")) {
                    throw new PostgresException("pg_promote refused to signal the promotion", true);
                }
                long deadline = start + Duration.ofSeconds(60).toNanos();
                while (value(statement, "SELECT pg_is_in_recovery()").equals("t")) {
                    if (System.nanoTime() > deadline) {
                        throw new PostgresException("the promotion did not complete within 60 s", true);
                    }
                    sleep(5);
                }
                long promoted = System.nanoTime();
                setUpstream(null);
                // A checkpoint now, so that a former primary can be rewound against us at once.
                statement.execute("CHECKPOINT");
                LOG.info("promoted in {} ms; the checkpoint after it took {} ms", (promoted - start) / 1_000_000,
                        (System.nanoTime() - promoted) / 1_000_000);
                return new Promotion(Lsn.parse(value(statement, "SELECT pg_current_wal_lsn()")), timeline(statement),
                        false);
            });
        } catch (SQLException e) {
            throw new PostgresException("promotion failed: " + e.getMessage(), e, true);
        }
    }

    /**
     * How far this instance has WAL: received or replayed on a standby, written on a primary; null
     * when it does not answer.
     */
    @Override
    public Lsn walPosition() {
        try {
            String position = local.use(statement -> value(statement, "SELECT CASE WHEN pg_is_in_recovery() "
                    + "THEN greatest(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn()) ELSE pg_current_wal_lsn() END"));
            return position.isEmpty() || position.equals("null") ? null : Lsn.parse(position);
        } catch (SQLException e) {
            return null;
        }
    }

    /** The timeline of a primary: the one its WAL is written on. */
    private static int timeline(Statement statement) throws SQLException {
        return Integer.parseInt(value(statement, PRIMARY_TIMELINE));
    }

    private static String value(Statement statement, String sql) throws SQLException {
        try (ResultSet rows = statement.executeQuery(sql)) {
            return rows.next() ? String.valueOf(rows.getString(1)) : "";
        }
    }

    /** Sets synchronous_standby_names (ALTER SYSTEM), reloads, and returns the position after which it holds. */
    @Override
    public Lsn setSynchronousStandbyNames(String value) {
        // Already in force, and what the configuration files say (so also after a restart): nothing to do.
        // After a promotion this saves a configuration reload before the new primary is reported.
        String unchanged = queryValue("SELECT current_setting('synchronous_standby_names') = " + literal(value)
                + " AND coalesce((SELECT setting FROM pg_catalog.pg_file_settings WHERE name = "
                + "'synchronous_standby_names' ORDER BY seqno DESC LIMIT 1), '') = " + literal(value));
        if ("t".equals(unchanged)) {
            return Lsn.parse(queryValue("SELECT pg_current_wal_lsn()"));
        }
        execute("ALTER SYSTEM SET synchronous_standby_names = " + literal(value), "SELECT pg_reload_conf()");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!value.equals(queryValue("SHOW synchronous_standby_names"))) {
            if (System.nanoTime() > deadline) {
                throw new PostgresException("synchronous_standby_names did not take effect", true);
            }
            sleep(10);
        }
        return Lsn.parse(queryValue("SELECT pg_current_wal_lsn()"));
    }

    /** Creates {@code slot} on the member at {@code host:port} unless it exists there. */
    @Override
    public void ensureSlot(String host, int port, String slot) {
        try (Connection connection = connections.remote(host, port); Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_create_physical_replication_slot(" + literal(slot) + ", true) WHERE NOT EXISTS "
                    + "(SELECT 1 FROM pg_replication_slots WHERE slot_name = " + literal(slot) + ")");
        } catch (SQLException e) {
            throw new PostgresException("cannot create replication slot " + slot + " on " + host + ":" + port + ": "
                    + e.getMessage(), e, true);
        }
    }

    /** Whether this standby's walreceiver streams from {@code host:port} right now. */
    @Override
    public boolean streamsFrom(String host, int port) {
        try {
            return "streaming".equals(queryValue("SELECT status FROM pg_stat_wal_receiver WHERE sender_host = "
                    + literal(host) + " AND sender_port = " + port));
        } catch (PostgresException e) {
            return false;
        }
    }

    /**
     * Whether this running standby holds WAL that {@code host:port} does not share: WAL past the
     * point where the upstream's timeline history forked from this standby's timeline (an
     * asynchronous replica that received more than the synchronous standby promoted in its place).
     * Such a standby cannot stream from the upstream; it needs pg_rewind. Patroni checks the same
     * against the timeline history before following.
     *
     * <p>An upstream still in recovery that has less WAL than this standby is either about to be
     * promoted (the follow is sent with the promotion) or will never catch up (its primary is
     * gone): it is given {@code wait} to be promoted or to catch up, then counts as diverged.
     *
     * @param localTimeline the standby's timeline
     * @param localPosition the furthest WAL it has, received or replayed
     */
    @Override
    public boolean hasDivergedFrom(String host, int port, int localTimeline, Lsn localPosition, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        try (Connection connection = connections.remote(host, port); Statement statement = connection.createStatement()) {
            while (true) {
                boolean recovery;
                Lsn upstreamPosition;
                try (ResultSet rows = statement.executeQuery("SELECT pg_is_in_recovery(), CASE WHEN pg_is_in_recovery() "
                        + "THEN greatest(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn()) ELSE pg_current_wal_lsn() END")) {
                    rows.next();
                    recovery = rows.getBoolean(1);
                    upstreamPosition = rows.getString(2) == null ? null : Lsn.parse(rows.getString(2));
                }
                if (!recovery) {
                    return divergedFromPrimary(statement, localTimeline, localPosition);
                }
                if (localPosition == null || upstreamPosition != null && upstreamPosition.compareTo(localPosition) >= 0) {
                    return false; // a cascading upstream with everything this standby has
                }
                if (System.nanoTime() > deadline) {
                    LOG.info("{}:{} is a standby behind this one ({} < {}) and was not promoted: pg_rewind needed",
                            host, port, upstreamPosition, localPosition);
                    return true;
                }
                sleep(200);
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warn("cannot compare timeline histories with {}:{} ({}); assuming pg_rewind may be needed", host, port,
                    e.getMessage());
            return true;
        }
    }

    private static boolean divergedFromPrimary(Statement statement, int localTimeline, Lsn localPosition)
            throws SQLException {
        int upstreamTimeline;
        try (ResultSet rows = statement.executeQuery(PRIMARY_TIMELINE)) {
            upstreamTimeline = rows.next() ? rows.getInt(1) : 0;
        }
        if (upstreamTimeline == localTimeline) {
            return false;
        }
        if (upstreamTimeline < localTimeline || localPosition == null) {
            return upstreamTimeline < localTimeline;
        }
        String history;
        try (ResultSet rows = statement.executeQuery("SELECT pg_read_file('pg_wal/' || lpad(upper(to_hex("
                + upstreamTimeline + ")), 8, '0') || '.history')")) {
            history = rows.next() ? rows.getString(1) : "";
        }
        Lsn forkedAt = TimelineHistory.switchPoint(history, localTimeline);
        boolean diverged = forkedAt == null || localPosition.compareTo(forkedAt) > 0;
        if (diverged) {
            LOG.info("this standby has WAL up to {} on timeline {}, past where the upstream's timeline {} forked "
                    + "({}): pg_rewind needed", localPosition, localTimeline, upstreamTimeline, forkedAt);
        }
        return diverged;
    }

    /** How the upstream counts this standby ({@code sync_state} in its pg_stat_replication), or null. */
    public String syncStateOnUpstream() {
        Upstream current = upstream;
        if (current == null) {
            return null;
        }
        try (Connection connection = connections.remote(current.host(), current.port());
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT sync_state FROM pg_stat_replication WHERE application_name = "
                     + literal(config.name()))) {
            return rows.next() ? rows.getString(1) : null;
        } catch (SQLException e) {
            return null;
        }
    }

    /** The server's version number (150018), or 0 when it cannot be asked. */
    public int serverVersion() {
        try {
            String value = queryValue("SHOW server_version_num");
            return value == null ? 0 : Integer.parseInt(value);
        } catch (PostgresException | NumberFormatException e) {
            return 0;
        }
    }

    /** The shutdown checkpoint of a cleanly stopped instance (a switchover's handover point). */
    @Override
    public Checkpoint latestCheckpoint() {
        Map<String, String> control = controlData();
        String location = control.get("Latest checkpoint location");
        String timeline = control.get("Latest checkpoint's TimeLineID");
        return new Checkpoint(location == null ? null : Lsn.parse(location), timeline == null ? 0 : Integer.parseInt(timeline));
    }

    /**
     * Rewinds this (stopped) instance to the history of {@code host:port}. An instance that did not
     * shut down cleanly first runs crash recovery in single-user mode, as pg_rewind requires.
     */
    @Override
    public RewindOutcome rewind(String host, int port) {
        if (isRunning()) {
            stop(StopMode.FAST);
        }
        String state = controlData().getOrDefault("Database cluster state", "");
        if (!state.equals("shut down") && !state.equals("shut down in recovery")) {
            LOG.info("data directory is '{}': crash recovery in single-user mode before pg_rewind", state);
            files.removeSignals(); // a standby's signal files stop single-user mode; the follow writes them again
            tools.run("postgres", List.of("--single", "-D", dataDir.toString(), "-c", "archive_mode=off", "postgres"),
                    stateDir, Duration.ofMinutes(30), null);
        }
        try (Connection connection = connections.remote(host, port); Statement statement = connection.createStatement()) {
            // Right after a promotion the control file still names the old timeline; without this
            // checkpoint pg_rewind concludes there is nothing to rewind.
            statement.execute("CHECKPOINT");
        } catch (SQLException e) {
            throw new PostgresException("cannot checkpoint the rewind source " + host + ":" + port + ": " + e.getMessage(),
                    e, true);
        }
        PgTools.Result result = tools.runChecked("pg_rewind", List.of("--target-pgdata=" + dataDir,
                "--source-server=" + connections.rewindConninfo(host, port), "--progress"), stateDir, Duration.ofHours(6),
                null);
        boolean nothing = result.output().stream().anyMatch(line -> line.contains("no rewind required"));
        return nothing ? RewindOutcome.NOT_NEEDED : RewindOutcome.REWOUND;
    }

    // ---- SQL --------------------------------------------------------------------------------

    /** A new superuser connection to this instance; the caller closes it. */
    public Connection connect() throws SQLException {
        return connections.local();
    }

    public void execute(String... statements) {
        try {
            local.use(statement -> {
                for (String sql : statements) {
                    if (sql != null) {
                        statement.execute(sql);
                    }
                }
                return null;
            });
        } catch (SQLException e) {
            throw new PostgresException("statement failed: " + e.getMessage(), e, true);
        }
    }

    public String queryValue(String sql) {
        try {
            return local.use(statement -> {
                try (ResultSet rows = statement.executeQuery(sql)) {
                    return rows.next() ? rows.getString(1) : null;
                }
            });
        } catch (SQLException e) {
            throw new PostgresException("query failed: " + e.getMessage(), e, true);
        }
    }

    // ---- internals --------------------------------------------------------------------------

    private PgConfigFiles.Recovery recovery(Upstream to) {
        return new PgConfigFiles.Recovery(to.member(), connections.replicationConninfo(to.host(), to.port(),
                config.name()), config.postgresql().parameters().containsKey("primary_slot_name") ? null : to.slot());
    }

    private void prepareDataDirectory() {
        try {
            Files.createDirectories(dataDir);
            Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
            user.own(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + dataDir, e);
        }
    }

    private void prepareStateDirectory(Path passfile) {
        try {
            Files.createDirectories(stateDir);
            user.own(stateDir);
            StringBuilder pgpass = new StringBuilder();
            for (Credentials credentials : List.of(config.postgresql().superuser(), config.postgresql().replication(),
                    config.postgresql().rewind())) {
                if (credentials.password() != null) {
                    pgpass.append("*:*:*:").append(credentials.username().replace(":", "\\:")).append(':')
                            .append(credentials.password().replace("\\", "\\\\").replace(":", "\\:")).append('\n');
                }
            }
            writeSecret(passfile, pgpass.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + stateDir, e);
        }
    }

    private void writeSecret(Path file, String text) {
        try {
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, text, StandardCharsets.UTF_8);
            user.own(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private void setUpstream(Upstream newUpstream) {
        upstream = newUpstream;
        Path file = stateDir.resolve("upstream.properties");
        try {
            if (newUpstream == null) {
                Files.deleteIfExists(file);
                return;
            }
            Properties properties = new Properties();
            properties.setProperty("member", newUpstream.member());
            properties.setProperty("host", newUpstream.host());
            properties.setProperty("port", Integer.toString(newUpstream.port()));
            if (newUpstream.slot() != null) {
                properties.setProperty("slot", newUpstream.slot());
            }
            try (var out = Files.newOutputStream(file)) {
                properties.store(out, "the member this standby streams from");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the upstream", e);
        }
    }

    private Upstream loadUpstream() {
        Path file = stateDir.resolve("upstream.properties");
        if (!Files.exists(file)) {
            return null;
        }
        Properties properties = new Properties();
        try (var in = Files.newInputStream(file)) {
            properties.load(in);
            return new Upstream(properties.getProperty("member"), properties.getProperty("host"),
                    Integer.parseInt(properties.getProperty("port")), properties.getProperty("slot"));
        } catch (IOException | RuntimeException e) {
            LOG.warn("ignoring an unreadable {}: {}", file, e.getMessage());
            return null;
        }
    }

    static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    static String ident(String value) {
        return "\"" + value.replace("\"", "\"\"") + "\"";
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PostgresException("interrupted", true);
        }
    }
}
