package io.steward.agent;

import static io.steward.agent.AgentFixtures.COMMAND_TIMEOUT;
import static io.steward.agent.AgentFixtures.GROUP;
import static io.steward.agent.AgentFixtures.acknowledged;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.steward.core.command.Command;
import io.steward.core.event.AgentEvent.MemberStateChanged;
import io.steward.core.event.AgentEvent.StateChange;
import io.steward.events.kafka.Topics;
import io.steward.testkit.Await;
import io.steward.testkit.Testbed;
import io.steward.testkit.agent.AgentNode;
import io.steward.testkit.etcd.EtcdNode;
import io.steward.testkit.kafka.KafkaBroker;
import io.steward.testkit.log.CommandWriter;
import io.steward.testkit.log.LogTap;
import io.steward.testkit.postgres.Sql;

/**
 * A primary must stop taking writes before anyone else could take its leader key: when it cannot
 * reach etcd, when its agent is killed, and (orderly) when its agent is stopped. Timestamps: the
 * agent logs the send time of each successful renewal (the lease cannot expire in etcd before
 * that time plus the TTL); a writer commits a row every few milliseconds and records when each
 * commit came back. The last commit must come back before the earliest possible expiry.
 */
class FencingIT {

    @RegisterExtension
    static final Testbed testbed = new Testbed();

    private static final Pattern RENEWAL = Pattern.compile(
            "lease \\S+ renewed: sent at (\\d+) ms, cannot expire before (\\d+) ms");

    private static KafkaBroker kafka;
    private static LogTap log;
    private static CommandWriter commands;

    @BeforeAll
    static void startKafka() {
        kafka = testbed.kafka().start();
        AgentFixtures.createTopics(kafka);
        log = LogTap.open(kafka.bootstrapServers(), Topics.DEFAULT.facts()); // what the agents hand in (no decider admits it here)
        commands = new CommandWriter(kafka.bootstrapServers(), Topics.DEFAULT);
    }

    @AfterAll
    static void closeClients() throws Exception {
        AgentFixtures.close(commands, log);
    }

    /** A primary of its own (its own etcd, so each test has a fresh leader key), taking writes. */
    private static AgentNode primary(String name, EtcdNode etcd) {
        AgentNode agent = testbed.agent(name).etcd(etcd).kafka(kafka).logLevel("DEBUG").start();
        acknowledged(log, commands.send(1, GROUP, name, header -> new Command.Bootstrap(header, false)));
        agent.sql().execute("CREATE TABLE beats (n bigint)");
        return agent;
    }

    @Test
    void aPrimaryCutOffFromEtcdStopsTakingWritesBeforeItsLeaseCouldExpire() throws Exception {
        EtcdNode etcd = testbed.etcd("etcd-frozen").start();
        AgentNode agent = primary("cutoff", etcd);
        try (Writer writer = new Writer(agent)) {
            Await.sleep(Duration.ofSeconds(2));
            assertThat(writer.lastCommitMillis()).as("writes go through while etcd answers").isPositive();

            etcd.freeze();
            try {
                Await.until("the primary stops taking writes", Duration.ofSeconds(30), writer::isRefused);
                long expiresNoSoonerThan = earliestExpiry(agent);

                assertThat(writer.lastCommitMillis())
                        .as("last commit vs the earliest moment the lease could expire in etcd")
                        .isLessThan(expiresNoSoonerThan);
                log.await("the fence reported", MemberStateChanged.class,
                        changed -> changed.member().equals("cutoff") && changed.change() == StateChange.FENCED,
                        COMMAND_TIMEOUT);
                assertThat(agent.log().tail(400)).contains("FENCING: the leader lease was not renewed");
            } finally {
                etcd.thaw();
            }
        }
    }

    /**
     * etcd stalls while the agent takes the lease: the grant answers late, leaving little of the
     * lease's first period. The agent renews it before PostgreSQL relies on it, and from then on
     * PostgreSQL accepts writes only while the leader key names this member.
     */
    @Test
    void aLeaseTakenSlowlyIsRenewedBeforePostgresReliesOnIt() {
        EtcdNode etcd = testbed.etcd("etcd-slow").start();
        AgentNode agent = testbed.agent("slow").etcd(etcd).kafka(kafka).start();
        Await.sleep(Duration.ofSeconds(1));

        etcd.freeze();
        Command bootstrap = commands.send(1, GROUP, "slow", header -> new Command.Bootstrap(header, false));
        Await.sleep(Duration.ofMillis(2500));
        etcd.thaw();
        acknowledged(log, bootstrap);

        assertThat(agent.log().tail(400)).contains("renewing it before use");
        long until = System.nanoTime() + Duration.ofSeconds(6).toNanos();
        int writableChecks = 0;
        while (System.nanoTime() < until) {
            boolean writable = "f".equals(agent.sql().queryValue("SELECT pg_is_in_recovery()"));
            if (writable) {
                writableChecks++;
                assertThat(AgentFixtures.leaderKeyHolder(etcd)).as("writable, so the leader key names it")
                        .isEqualTo("slow");
            }
            Await.sleep(Duration.ofMillis(50));
        }
        assertThat(writableChecks).as("PostgreSQL kept running as primary").isPositive();
    }

    @Test
    void aPrimaryWhoseAgentIsKilledStopsTakingWrites() throws Exception {
        EtcdNode etcd = testbed.etcd("etcd-killed").start();
        AgentNode agent = primary("orphan", etcd);
        try (Writer writer = new Writer(agent)) {
            Await.sleep(Duration.ofSeconds(2));
            agent.kill9();

            Await.until("the orphaned primary stops taking writes", Duration.ofSeconds(30), writer::isRefused);
            long expiresNoSoonerThan = earliestExpiry(agent);

            assertThat(writer.lastCommitMillis())
                    .as("last commit vs the earliest moment the lease could expire in etcd")
                    .isLessThan(expiresNoSoonerThan);
            assertThat(Files.readString(agent.stateDir().resolve("postgresql.log")))
                    .as("the watchdog, not the dead agent, stopped it").contains("steward-fence: lease deadline passed");
            Await.until("no process of the instance is left", Duration.ofSeconds(30),
                    () -> !processesNaming(agent.dataDir()));
        }
    }

    @Test
    void stoppingTheAgentStopsPostgresAndReleasesTheLeaseAtOnce() throws Exception {
        EtcdNode etcd = testbed.etcd("etcd-stopped").start();
        AgentNode agent = primary("retiring", etcd);
        assertThat(AgentFixtures.leaderKeyHolder(etcd)).isEqualTo("retiring");

        agent.stop();

        assertThat(AgentFixtures.leaderKeyHolder(etcd)).as("revoked, not left to expire").isNull();
        assertThat(processesNaming(agent.dataDir())).isFalse();
        log.await("the stop reported", MemberStateChanged.class,
                changed -> changed.member().equals("retiring") && changed.change() == StateChange.STOPPED,
                COMMAND_TIMEOUT);
    }

    /**
     * The earliest moment the lease could expire in etcd: the send time of the last renewal that
     * succeeded, plus the TTL, as the agent logged it. That renewal may have been sent a moment
     * after the test noted the time of the cut (a keep-alive racing SIGSTOP or SIGKILL): it counts,
     * since etcd answered it.
     */
    private static long earliestExpiry(AgentNode agent) {
        long bound = 0;
        Matcher matcher = RENEWAL.matcher(agent.log().tail(100_000));
        while (matcher.find()) {
            bound = Math.max(bound, Long.parseLong(matcher.group(2)));
        }
        assertThat(bound).as("a successful renewal was logged").isPositive();
        return bound;
    }

    private static boolean processesNaming(Path path) {
        return ProcessHandle.allProcesses().anyMatch(process -> process.info().commandLine()
                .map(line -> line.contains(path.toString())).orElse(false));
    }

    /**
     * Commits one row every 10 ms on the primary (reconnecting after a failure) and remembers when
     * the last commit came back and whether the latest attempts were refused.
     */
    static final class Writer implements AutoCloseable {
        private final AgentNode agent;
        private final Thread thread;
        private final AtomicLong lastCommit = new AtomicLong();
        private final AtomicLong failuresInARow = new AtomicLong();
        private volatile boolean running = true;

        Writer(AgentNode agent) {
            this.agent = agent;
            this.thread = new Thread(this::run, "writer");
            thread.setDaemon(true);
            thread.start();
        }

        private Connection connect() throws SQLException {
            Properties properties = new Properties();
            properties.setProperty("user", "postgres");
            properties.setProperty("password", AgentNode.SUPERUSER_PASSWORD);
            properties.setProperty("connectTimeout", "1");
            properties.setProperty("socketTimeout", "2");
            return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + agent.pgPort() + "/postgres", properties);
        }

        private void run() {
            long n = 0;
            Connection connection = null;
            while (running) {
                try {
                    if (connection == null) {
                        connection = connect();
                    }
                    try (Statement statement = connection.createStatement()) {
                        statement.execute("INSERT INTO beats VALUES (" + (++n) + ")");
                    }
                    lastCommit.set(System.currentTimeMillis());
                    failuresInARow.set(0);
                } catch (SQLException e) {
                    failuresInARow.incrementAndGet();
                    Sql.closeQuietly(connection);
                    connection = null;
                }
                Await.sleep(Duration.ofMillis(10));
            }
            Sql.closeQuietly(connection);
        }

        long lastCommitMillis() {
            return lastCommit.get();
        }

        /** Ten attempts in a row failed (new connections included). */
        boolean isRefused() {
            return failuresInARow.get() >= 10;
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(5000);
        }

        @Override
        public String toString() {
            return "writer (last commit " + Instant.ofEpochMilli(lastCommit.get()) + ")";
        }
    }
}
