package io.steward.testkit.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.steward.testkit.Await;
import io.steward.testkit.Component;
import io.steward.testkit.Ports;
import io.steward.testkit.Testbed;
import io.steward.testkit.process.ChildProcess;
import io.steward.testkit.process.ComponentLog;
import io.steward.testkit.process.RunAs;
import io.steward.testkit.process.Signal;

/**
 * A real PostgreSQL 15 instance on 127.0.0.1.
 *
 * <p>The postmaster runs in the foreground as a child of the test JVM (not daemonized by
 * {@code pg_ctl}), as the {@code postgres} OS user when the JVM is root. Settings that differ per
 * instance (port, addresses, {@code cluster_name}) are passed on the command line, where they beat
 * every configuration file: {@code pg_rewind} copies the source's configuration files, and this way
 * a rewound instance still listens on its own port. Unix sockets are off; everything is TCP.
 *
 * <p>Not thread-safe: one test drives one instance.
 */
public final class PostgresNode implements Component {

    /** The settings every instance gets, chosen for fast, rewindable, replicating test clusters. */
    static final Map<String, String> BASE_SETTINGS = baseSettings();

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(120);

    private final Testbed testbed;
    private final String name;
    private final int port;
    private final Path directory;
    private final Path dataDirectory;
    private final ComponentLog log;
    private final RunAs runAs = RunAs.postgres();
    private ChildProcess postmaster;

    private PostgresNode(Testbed testbed, String name, int port, Path directory) {
        this.testbed = testbed;
        this.name = name;
        this.port = port;
        this.directory = directory;
        this.dataDirectory = directory.resolve("data");
        this.log = new ComponentLog(directory.resolve("postgres.log"));
    }

    /** Configures a new primary instance; {@link #start()} runs initdb and starts it. */
    public static final class Builder {
        private final Testbed testbed;
        private final String name;
        private final Map<String, String> settings = new LinkedHashMap<>();
        private int port;

        public Builder(Testbed testbed, String name) {
            this.testbed = testbed;
            this.name = name;
        }

        /** A GUC written to postgresql.conf after the defaults, for instance ("synchronous_commit", "on"). */
        public Builder setting(String guc, String value) {
            settings.put(guc, value);
            return this;
        }

        /** A fixed port instead of a free one. */
        public Builder port(int fixedPort) {
            this.port = fixedPort;
            return this;
        }

        /** Runs initdb (with data checksums), writes the configuration and starts the instance. */
        public PostgresNode start() {
            PostgresNode node = new PostgresNode(testbed, name, port == 0 ? Ports.allocate() : port,
                    testbed.directoryFor(name));
            testbed.register(node);
            node.initdb(settings);
            node.start();
            return node;
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ComponentLog log() {
        return log;
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return port;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    /** The physical replication slot this instance uses on its upstream. */
    public String slotName() {
        return name.toLowerCase().replaceAll("[^a-z0-9_]", "_");
    }

    /** SQL against the {@code postgres} database as the {@code postgres} superuser. */
    public Sql sql() {
        return sql("postgres");
    }

    /** SQL against {@code database} as the {@code postgres} superuser. */
    public Sql sql(String database) {
        return new Sql(host(), port, database, "postgres");
    }

    /** A libpq connection string for tools such as pg_rewind. */
    public String connectionString() {
        return "host=" + host() + " port=" + port + " user=postgres dbname=postgres";
    }

    /** The postmaster's process id while it runs. */
    public long postmasterPid() {
        requireRunning();
        return postmaster.pid();
    }

    public boolean isRunning() {
        return postmaster != null && postmaster.isAlive();
    }

    /** Starts the postmaster and waits until it accepts connections. */
    public void start() {
        if (isRunning()) {
            throw new IllegalStateException(name + " is already running");
        }
        long mark = log.mark();
        postmaster = ChildProcess.start(List.of(PgBinaries.path("postgres"), "-D", dataDirectory.toString(),
                        "-c", "port=" + port,
                        "-c", "listen_addresses=" + host(),
                        "-c", "unix_socket_directories=",
                        "-c", "cluster_name=" + name),
                runAs, directory, Map.of(), log);
        try {
            Await.until(name + " accepting connections on " + host() + ":" + port, START_TIMEOUT, () -> {
                if (!postmaster.isAlive()) {
                    throw new IllegalStateException("postmaster exited with " + postmaster.exitValue());
                }
                sql().queryValue("select 1");
                return true;
            });
        } catch (AssertionError e) {
            throw new IllegalStateException(name + " did not start; its log:\n" + log.since(mark), e);
        }
        log.announce("PostgreSQL 15 '" + name + "' accepting connections on " + host() + ":" + port
                + " (pid " + postmaster.pid() + ")");
    }

    /** Stops the postmaster in {@code mode} and waits until it has exited. */
    public void stop(StopMode mode) {
        if (!isRunning()) {
            return;
        }
        log.announce("stopping " + name + " (" + mode.name().toLowerCase() + ")");
        postmaster.signal(mode.signal());
        if (!postmaster.waitForExit(STOP_TIMEOUT)) {
            throw new IllegalStateException(name + " did not stop within " + STOP_TIMEOUT.toSeconds() + " s ("
                    + mode + "); its log:\n" + log.tail(40));
        }
    }

    public void stopFast() {
        stop(StopMode.FAST);
    }

    public void stopImmediate() {
        stop(StopMode.IMMEDIATE);
    }

    /** Stops fast and starts again. */
    public void restart() {
        stopFast();
        start();
    }

    /**
     * SIGKILL of the postmaster, as when it crashes. Its backends notice their parent died and exit
     * on their own; this waits for that (and kills any that linger) so the instance can start again.
     */
    public void kill9() {
        if (!isRunning()) {
            return;
        }
        List<ProcessHandle> children = postmaster.descendants();
        log.announce("SIGKILL to postmaster of " + name + " (pid " + postmaster.pid() + ")");
        postmaster.signal(Signal.KILL);
        postmaster.waitForExit(STOP_TIMEOUT);
        for (ProcessHandle child : children) {
            try {
                child.onExit().get(Duration.ofSeconds(10).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                child.destroyForcibly();
            }
        }
    }

    // ---- replication ------------------------------------------------------------------------

    /** Whether the instance is a standby (in recovery). */
    public boolean isInRecovery() {
        return "t".equals(sql().queryValue("select pg_is_in_recovery()"));
    }

    /** The current WAL write position on a primary, or the last replayed position on a standby. */
    public String currentLsn() {
        return sql().queryValue("select case when pg_is_in_recovery() then pg_last_wal_replay_lsn() "
                + "else pg_current_wal_lsn() end");
    }

    /** Clones a new instance from this one with pg_basebackup, makes it stream from here, and starts it. */
    public PostgresNode startReplica(String replicaName) {
        requireRunning();
        PostgresNode replica = new PostgresNode(testbed, replicaName, Ports.allocate(),
                testbed.directoryFor(replicaName));
        testbed.register(replica);
        replica.prepareDirectory();
        replica.runTool(List.of(PgBinaries.path("pg_basebackup"), "-h", host(), "-p", Integer.toString(port),
                "-U", "postgres", "-D", replica.dataDirectory.toString(), "-X", "stream", "-c", "fast",
                "--no-sync", "-C", "-S", replica.slotName()));
        replica.writeStandbyConfiguration(this);
        replica.start();
        return replica;
    }

    /** Promotes this standby and waits until it accepts writes. */
    public void promote() {
        String promoted = sql().queryValue("select pg_promote(true, 60)");
        if (!"t".equals(promoted)) {
            throw new IllegalStateException(name + ": pg_promote returned " + promoted);
        }
        Await.until(name + " out of recovery", Duration.ofSeconds(30), () -> !isInRecovery());
        log.announce(name + " promoted");
    }

    /** Makes this instance a standby of {@code upstream} (restarting it) with its own slot there. */
    public void follow(PostgresNode upstream) {
        stopFast();
        upstream.ensureSlot(slotName());
        writeStandbyConfiguration(upstream);
        start();
    }

    /**
     * Rejoins this former primary to {@code newPrimary} with pg_rewind: stops it cleanly, rewinds it
     * to the new primary's history (dropping anything it wrote after the fork), and starts it as a
     * standby of the new primary.
     */
    public void rewindFrom(PostgresNode newPrimary) {
        stopFast();
        // Right after promotion the control file still shows the old timeline; without this
        // checkpoint pg_rewind concludes "no rewind required" (PostgreSQL 15).
        newPrimary.sql().execute("CHECKPOINT");
        runTool(List.of(PgBinaries.path("pg_rewind"), "--target-pgdata=" + dataDirectory,
                "--source-server=" + newPrimary.connectionString(), "--progress", "--no-sync"));
        newPrimary.ensureSlot(slotName());
        writeStandbyConfiguration(newPrimary);
        start();
    }

    /** Creates a physical replication slot here unless it exists. */
    public void ensureSlot(String slot) {
        sql().execute("select pg_create_physical_replication_slot('" + slot + "') where not exists "
                + "(select 1 from pg_replication_slots where slot_name = '" + slot + "')");
    }

    /** {@code application_name → state} of the walsenders of this instance (pg_stat_replication). */
    public Map<String, String> replicationStates() {
        Map<String, String> states = new LinkedHashMap<>();
        for (String row : sql().queryColumn("select application_name || '=' || state from pg_stat_replication")) {
            int eq = row.indexOf('=');
            states.put(row.substring(0, eq), row.substring(eq + 1));
        }
        return states;
    }

    /** Waits until {@code replica} streams from this instance and has replayed this instance's current LSN. */
    public void awaitCaughtUp(PostgresNode replica) {
        Await.until(replica.name + " streaming from " + name, Duration.ofSeconds(30),
                () -> "streaming".equals(replicationStates().get(replica.name)));
        String lsn = currentLsn();
        Await.until(replica.name + " replayed " + lsn, Duration.ofSeconds(30), () -> "t".equals(
                replica.sql().queryValue("select pg_last_wal_replay_lsn() >= '" + lsn + "'::pg_lsn")));
    }

    @Override
    public void close() {
        if (isRunning()) {
            stopImmediate();
        }
    }

    @Override
    public String toString() {
        return "PostgreSQL '" + name + "' on " + host() + ":" + port;
    }

    // ---- internals --------------------------------------------------------------------------

    private void initdb(Map<String, String> settings) {
        prepareDirectory();
        runTool(List.of(PgBinaries.path("initdb"), "-D", dataDirectory.toString(), "-U", "postgres",
                "--auth=trust", "--data-checksums", "--no-sync", "-E", "UTF8", "--locale=C.UTF-8"));
        Map<String, String> all = new LinkedHashMap<>(BASE_SETTINGS);
        all.putAll(settings);
        StringBuilder conf = new StringBuilder("\n# written by the Steward test kit\n");
        all.forEach((guc, value) -> conf.append(guc).append(" = '").append(value.replace("'", "''"))
                .append("'\n"));
        appendToDataFile("postgresql.conf", conf.toString());
    }

    private void writeStandbyConfiguration(PostgresNode upstream) {
        // pg_basebackup and pg_rewind bring the upstream's postgresql.auto.conf; keep all of it but
        // the recovery settings, which are this instance's own.
        Path auto = dataDirectory.resolve("postgresql.auto.conf");
        List<String> kept = new ArrayList<>();
        try {
            if (Files.exists(auto)) {
                for (String line : Files.readAllLines(auto, StandardCharsets.UTF_8)) {
                    String key = line.strip().split("[\\s=]", 2)[0];
                    if (!key.equals("primary_conninfo") && !key.equals("primary_slot_name")) {
                        kept.add(line);
                    }
                }
            }
            kept.add("primary_conninfo = 'host=" + upstream.host() + " port=" + upstream.port
                    + " user=postgres application_name=" + name + "'");
            kept.add("primary_slot_name = '" + slotName() + "'");
            writeDataFile("postgresql.auto.conf", String.join("\n", kept) + "\n");
            writeDataFile("standby.signal", "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        log.note(name + " configured as a standby of " + upstream.name + " (slot " + slotName() + ")");
    }

    private void prepareDirectory() {
        chownToRunAs(directory);
    }

    private void runTool(List<String> command) {
        ChildProcess.runChecked(command, runAs, directory, Map.of(), log, TOOL_TIMEOUT);
    }

    private void appendToDataFile(String file, String text) {
        try {
            Files.writeString(dataDirectory.resolve(file), text, StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void writeDataFile(String file, String text) throws IOException {
        Path path = dataDirectory.resolve(file);
        Files.writeString(path, text, StandardCharsets.UTF_8);
        chownToRunAs(path);
    }

    private void chownToRunAs(Path path) {
        if (!runAs.switchesUser()) {
            return;
        }
        try {
            UserPrincipalLookupService users = path.getFileSystem().getUserPrincipalLookupService();
            Files.setOwner(path, users.lookupPrincipalByName(runAs.user()));
            Files.getFileAttributeView(path, java.nio.file.attribute.PosixFileAttributeView.class)
                    .setGroup(users.lookupPrincipalByGroupName(runAs.user()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot hand " + path + " to OS user " + runAs.user(), e);
        }
    }

    private void requireRunning() {
        if (!isRunning()) {
            throw new IllegalStateException(name + " is not running");
        }
    }

    private static Map<String, String> baseSettings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("wal_level", "replica");
        settings.put("max_wal_senders", "10");
        settings.put("max_replication_slots", "10");
        settings.put("wal_keep_size", "256MB");
        settings.put("hot_standby", "on");
        settings.put("wal_log_hints", "on");
        settings.put("full_page_writes", "on");
        // fsync off is enough for speed; synchronous_commit stays on so that "replayed >= LSN"
        // really means the commit is visible on the standby.
        settings.put("fsync", "off");
        settings.put("synchronous_commit", "on");
        settings.put("shared_buffers", "32MB");
        settings.put("max_connections", "40");
        // The default 5 s can stall a promotion right after the primary died.
        settings.put("wal_retrieve_retry_interval", "200ms");
        settings.put("log_line_prefix", "%m [%p] %q%a ");
        return java.util.Collections.unmodifiableMap(settings);
    }
}
