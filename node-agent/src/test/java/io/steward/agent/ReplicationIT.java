package io.steward.agent;

import static io.steward.agent.AgentFixtures.COMMAND_TIMEOUT;
import static io.steward.agent.AgentFixtures.GROUP;
import static io.steward.agent.AgentFixtures.acknowledged;
import static io.steward.agent.AgentFixtures.endpoints;
import static io.steward.agent.AgentFixtures.get;
import static io.steward.agent.AgentFixtures.leaderKeyHolder;
import static io.steward.agent.AgentFixtures.outcome;
import static io.steward.agent.AgentFixtures.status;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.steward.core.command.Command;
import io.steward.core.event.AgentEvent.ClusterInitialized;
import io.steward.core.event.AgentEvent.CommandOutcome;
import io.steward.core.event.AgentEvent.MemberObserved;
import io.steward.core.event.AgentEvent.MemberRegistered;
import io.steward.core.event.AgentEvent.MemberStateChanged;
import io.steward.core.event.AgentEvent.Outcome;
import io.steward.core.event.AgentEvent.StateChange;
import io.steward.core.model.Lsn;
import io.steward.core.model.PgState;
import io.steward.core.model.Role;
import io.steward.events.kafka.DeadLetters;
import io.steward.events.kafka.Topics;
import io.steward.testkit.Await;
import io.steward.testkit.Testbed;
import io.steward.testkit.agent.AgentNode;
import io.steward.testkit.etcd.EtcdNode;
import io.steward.testkit.kafka.KafkaBroker;
import io.steward.testkit.log.CommandWriter;
import io.steward.testkit.log.LogTap;

/**
 * Three agents on real PostgreSQL, etcd and Kafka, driven by commands as the decider would drive
 * them: bootstrap, clone, report, answer health checks, refuse stale and repeated commands,
 * switch over, rewind a diverged former primary, reinitialize. One story, in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicationIT {

    @RegisterExtension
    static final Testbed testbed = new Testbed();

    private static EtcdNode etcd;
    private static KafkaBroker kafka;
    private static LogTap log;
    private static CommandWriter commands;
    private static AgentNode pg1;
    private static AgentNode pg2;
    private static AgentNode pg3;
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void startComponents() {
        etcd = testbed.etcd().start();
        kafka = testbed.kafka().start();
        AgentFixtures.createTopics(kafka);
        log = LogTap.open(kafka.bootstrapServers(), Topics.DEFAULT.facts()); // what the agents hand in (no decider admits it here)
        commands = new CommandWriter(kafka.bootstrapServers(), Topics.DEFAULT);
        pg1 = testbed.agent("pg1").etcd(etcd).kafka(kafka).start();
        pg2 = testbed.agent("pg2").etcd(etcd).kafka(kafka).start();
        pg3 = testbed.agent("pg3").etcd(etcd).kafka(kafka).tag("dc", "west").start();
    }

    @AfterAll
    static void closeClients() throws Exception {
        AgentFixtures.close(commands, log);
    }

    @Test
    @Order(1)
    void agentsRegisterAndReportBeforeThereIsAnyData() {
        for (AgentNode agent : List.of(pg1, pg2, pg3)) {
            log.await(agent.name() + " registered", MemberRegistered.class,
                    registered -> registered.member().equals(agent.name()) && registered.systemIdentifier() == null,
                    COMMAND_TIMEOUT);
            MemberObserved heartbeat = log.await(agent.name() + "'s heartbeat", MemberObserved.class,
                    observed -> observed.member().equals(agent.name()), COMMAND_TIMEOUT);
            assertThat(heartbeat.observation().state()).isNotEqualTo(PgState.RUNNING);
            assertThat(heartbeat.endpoints()).isEqualTo(endpoints(agent));
        }
        assertThat(status(pg1, "GET", "/health")).isEqualTo(503);
    }

    @Test
    @Order(2)
    void bootstrapCreatesAPrimaryThatHoldsTheLeaderKey() {
        Command.Bootstrap bootstrap = commands.send(1, GROUP, "pg1", header -> new Command.Bootstrap(header, false));

        acknowledged(log, bootstrap);

        String systemIdentifier = pg1.sql().queryValue("SELECT system_identifier FROM pg_control_system()");
        ClusterInitialized initialized = log.await("cluster initialized", ClusterInitialized.class, e -> true,
                COMMAND_TIMEOUT);
        assertThat(Long.toUnsignedString(initialized.systemIdentifier())).isEqualTo(systemIdentifier);
        assertThat(pg1.sql().queryValue("SELECT pg_is_in_recovery()")).isEqualTo("f");
        assertThat(pg1.sql().queryValue("SHOW data_checksums")).as("bootstrap.initdb options").isEqualTo("on");
        assertThat(pg1.sql().queryColumn("SELECT rolname FROM pg_roles WHERE rolname IN ('replicator', 'rewinder') "
                + "ORDER BY 1")).containsExactly("replicator", "rewinder");
        assertThat(leaderKeyHolder(etcd)).isEqualTo("pg1");
        log.await("pg1 bootstrapped", MemberStateChanged.class,
                changed -> changed.member().equals("pg1") && changed.change() == StateChange.BOOTSTRAPPED,
                COMMAND_TIMEOUT);
        pg1.sql().execute("CREATE TABLE story (id serial PRIMARY KEY, chapter text NOT NULL)",
                "INSERT INTO story (chapter) VALUES ('bootstrapped on pg1')");
    }

    @Test
    @Order(3)
    void twoClonesStreamFromThePrimaryThroughTheirSlots() {
        Command.Clone clone2 = commands.send(1, GROUP, "pg2", header -> new Command.Clone(header, "pg1",
                endpoints(pg1), "pg1", endpoints(pg1), "pg2"));
        Command.Clone clone3 = commands.send(1, GROUP, "pg3", header -> new Command.Clone(header, "pg1",
                endpoints(pg1), "pg1", endpoints(pg1), "pg3"));

        acknowledged(log, clone2);
        acknowledged(log, clone3);

        Await.until("pg2 and pg3 streaming from pg1", COMMAND_TIMEOUT, () -> pg1.sql().queryColumn(
                "SELECT application_name FROM pg_stat_replication WHERE state = 'streaming' ORDER BY 1")
                .equals(List.of("pg2", "pg3")));
        assertThat(pg1.sql().queryColumn("SELECT slot_name FROM pg_replication_slots WHERE active ORDER BY 1"))
                .containsExactly("pg2", "pg3");
        pg1.sql().execute("INSERT INTO story (chapter) VALUES ('replicated to two clones')");
        for (AgentNode replica : List.of(pg2, pg3)) {
            Await.until(replica.name() + " has the rows", COMMAND_TIMEOUT,
                    () -> "2".equals(replica.sql().queryValue("SELECT count(*) FROM story")));
            assertThat(replica.sql().queryValue("SELECT pg_is_in_recovery()")).isEqualTo("t");
        }
        for (String member : List.of("pg2", "pg3")) {
            log.await(member + " cloned", MemberStateChanged.class,
                    changed -> changed.member().equals(member) && changed.change() == StateChange.CLONED,
                    COMMAND_TIMEOUT);
        }
    }

    @Test
    @Order(4)
    void heartbeatsCarryThePositionsPostgresReports() {
        // the instance is idle now, so its position stands still long enough to be seen in a heartbeat
        Await.until("a heartbeat of pg1 at pg1's current position", COMMAND_TIMEOUT, () -> {
            Lsn current = Lsn.parse(pg1.sql().queryValue("SELECT pg_current_wal_lsn()"));
            int mark = log.mark();
            MemberObserved next = log.awaitAfter(mark, "next heartbeat of pg1", MemberObserved.class,
                    observed -> observed.member().equals("pg1"), Duration.ofSeconds(10));
            return current.equals(next.observation().writeLsn()) && next.observation().role() == Role.PRIMARY
                    && next.observation().timeline() == 1;
        });
        for (AgentNode replica : List.of(pg2, pg3)) {
            Await.until("a heartbeat of " + replica.name() + " caught up with pg1", COMMAND_TIMEOUT, () -> {
                Lsn primary = Lsn.parse(pg1.sql().queryValue("SELECT pg_current_wal_lsn()"));
                int mark = log.mark();
                MemberObserved next = log.awaitAfter(mark, "next heartbeat of " + replica.name(),
                        MemberObserved.class, observed -> observed.member().equals(replica.name()),
                        Duration.ofSeconds(10));
                var observation = next.observation();
                return primary.equals(observation.replayLsn()) && primary.equals(observation.receiveLsn())
                        && observation.role() == Role.REPLICA && "streaming".equals(observation.replicationState())
                        && Long.valueOf(0).equals(observation.lagBytes()) && "pg1".equals(observation.upstream());
            });
        }
        MemberObserved tagged = log.await("pg3's tags", MemberObserved.class,
                observed -> observed.member().equals("pg3"), COMMAND_TIMEOUT);
        assertThat(tagged.tags().custom()).containsEntry("dc", "west");
    }

    @Test
    @Order(5)
    void healthChecksAnswerAsPatroniDoes() throws Exception {
        Map<String, Integer> primary = Map.of("/", 200, "/primary", 200, "/read-write", 200, "/leader", 200,
                "/replica", 503, "/read-only", 200, "/health", 200, "/liveness", 200, "/readiness", 200,
                "/asynchronous", 503);
        Map<String, Integer> replica = Map.of("/", 503, "/primary", 503, "/leader", 503, "/replica", 200,
                "/replica?lag=1MB", 200, "/read-only", 200, "/asynchronous", 200, "/synchronous", 503,
                "/health", 200, "/readiness", 200);
        primary.forEach((path, code) -> {
            for (String method : List.of("GET", "HEAD", "OPTIONS")) {
                assertThat(status(pg1, method, path)).as(method + " " + path + " on the primary").isEqualTo(code);
            }
        });
        replica.forEach((path, code) ->
                assertThat(status(pg2, "GET", path)).as("GET " + path + " on a replica").isEqualTo(code));
        assertThat(status(pg3, "GET", "/replica?tag_dc=west")).isEqualTo(200);
        assertThat(status(pg3, "GET", "/replica?tag_dc=east")).isEqualTo(503);

        JsonNode leader = JSON.readTree(get(pg1, "/patroni").body());
        assertThat(leader.get("state").asText()).isEqualTo("running");
        assertThat(leader.get("role").asText()).isEqualTo("primary");
        assertThat(leader.get("timeline").asInt()).isEqualTo(1);
        assertThat(leader.get("xlog").get("location").asLong()).isPositive();
        assertThat(leader.get("replication").size()).isEqualTo(2);
        assertThat(leader.get("patroni").get("scope").asText()).isEqualTo("demo");
        JsonNode follower = JSON.readTree(get(pg2, "/patroni").body());
        assertThat(follower.get("role").asText()).isEqualTo("replica");
        assertThat(follower.get("replication_state").asText()).isEqualTo("streaming");
        assertThat(follower.get("xlog").get("replayed_location").asLong()).isPositive();

        String metrics = get(pg1, "/metrics").body();
        assertThat(metrics).contains("patroni_primary{scope=\"demo\",name=\"pg1\"} 1")
                .contains("patroni_postgres_running{scope=\"demo\",name=\"pg1\"} 1")
                .contains("patroni_postgres_timeline{scope=\"demo\",name=\"pg1\"} 1");
        assertThat(get(pg2, "/metrics").body()).contains("patroni_replica{scope=\"demo\",name=\"pg2\"} 1")
                .contains("steward_replication_lag_bytes{scope=\"demo\",name=\"pg2\"} 0");
    }

    @Test
    @Order(6)
    void aLaggingReplicaFailsTheLagCheckAndPassesOnceCaughtUp() {
        pg2.sql().execute("SELECT pg_wal_replay_pause()");
        try {
            pg1.sql().execute("CREATE TABLE ballast AS SELECT g, repeat('x', 200) AS pad FROM generate_series(1, 20000) g");
            Await.until("pg2 lags by more than 1MB", COMMAND_TIMEOUT,
                    () -> status(pg2, "GET", "/replica?lag=1MB") == 503);
            assertThat(status(pg2, "GET", "/replica?lag=100MB")).isEqualTo(200);
            assertThat(status(pg2, "GET", "/replica")).isEqualTo(200);
            assertThat(status(pg2, "GET", "/readiness")).as("beyond maximum_lag_on_failover").isEqualTo(503);
        } finally {
            pg2.sql().execute("SELECT pg_wal_replay_resume()");
        }
        Await.until("pg2 caught up", COMMAND_TIMEOUT, () -> status(pg2, "GET", "/replica?lag=1MB") == 200);
        pg1.sql().execute("DROP TABLE ballast");
    }

    @Test
    @Order(7)
    void aCommandFromAStaleEpochIsRefusedAndReported() {
        Command.Reload fromEpoch3 = commands.send(3, GROUP, "pg3", Command.Reload::new);
        acknowledged(log, fromEpoch3);

        // pg2 never got a command of epoch 3, but it has seen pg3's: epoch 2 is stale for it too
        Command.Reload fromEpoch2 = commands.send(2, GROUP, "pg2", Command.Reload::new);
        CommandOutcome refused = outcome(log, fromEpoch2);

        assertThat(refused.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(refused.detail()).contains("stale epoch 2").contains("epoch 3");
        assertThat(refused.epoch()).isEqualTo(2);
    }

    @Test
    @Order(8)
    void aRepeatedCommandIdIsNotCarriedOutTwiceNotEvenAfterTheAgentRestarts() {
        Command.Restart restart = commands.send(3, GROUP, "pg2", header -> new Command.Restart(header, null, "test"));
        acknowledged(log, restart);
        String started = pg2.sql().queryValue("SELECT pg_postmaster_start_time()");

        commands.send(restart);
        CommandOutcome again = log.await("the repeated restart answered", CommandOutcome.class,
                outcome -> outcome.commandId().equals(restart.id()) && outcome.outcome() == Outcome.REJECTED,
                COMMAND_TIMEOUT);
        assertThat(again.detail()).contains("already carried out");

        pg2.kill9();
        int mark = log.mark();
        pg2.start();
        // as the decider does: commands are (re)issued once the restarted agent has registered
        log.awaitAfter(mark, "pg2 registered again", MemberRegistered.class,
                registered -> registered.member().equals("pg2"), COMMAND_TIMEOUT);
        mark = log.mark();
        commands.send(restart);
        CommandOutcome afterRestart = log.awaitAfter(mark, "the repeated restart answered after the agent restarted",
                CommandOutcome.class, outcome -> outcome.commandId().equals(restart.id()), COMMAND_TIMEOUT);
        assertThat(afterRestart.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(pg2.sql().queryValue("SELECT pg_postmaster_start_time()"))
                .as("PostgreSQL kept running through the agent's restart and was not restarted again")
                .isEqualTo(started);
    }

    @Test
    @Order(9)
    void aPoisonCommandIsDeadLetteredAndTheAgentCarriesOn() {
        commands.sendGarbage(GROUP, "not a command".getBytes(StandardCharsets.UTF_8));
        Command.Reload after = commands.send(3, GROUP, "pg3", Command.Reload::new);

        acknowledged(log, after);

        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(Topics.DEFAULT.deadLetter(), 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            ConsumerRecord<byte[], byte[]> letter = Await.value("a dead letter", COMMAND_TIMEOUT, () -> {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    return java.util.Optional.of(record);
                }
                return java.util.Optional.empty();
            });
            assertThat(new String(letter.value(), StandardCharsets.UTF_8)).isEqualTo("not a command");
            assertThat(new String(letter.headers().lastHeader(DeadLetters.SOURCE_TOPIC).value(),
                    StandardCharsets.UTF_8)).isEqualTo(Topics.DEFAULT.commands());
            assertThat(new String(letter.headers().lastHeader(DeadLetters.REASON).value(), StandardCharsets.UTF_8))
                    .isNotBlank();
        }
    }

    @Test
    @Order(10)
    void aSwitchoverByCommandsLosesNothing() {
        pg1.sql().execute("INSERT INTO story (chapter) VALUES ('written just before the switchover')");
        Command.Demote demote = commands.send(4, GROUP, "pg1",
                header -> new Command.Demote(header, Command.DemoteMode.GRACEFUL));
        CommandOutcome demoted = acknowledged(log, demote);
        assertThat(demoted.lsn()).as("the shutdown checkpoint").isNotNull();
        assertThat(leaderKeyHolder(etcd)).as("the lease is released at once").isNull();

        Command.Promote promote = commands.send(4, GROUP, "pg2", header -> new Command.Promote(header, demoted.lsn()));
        acknowledged(log, promote);
        assertThat(leaderKeyHolder(etcd)).isEqualTo("pg2");
        assertThat(pg2.sql().queryValue("SELECT pg_is_in_recovery()")).isEqualTo("f");
        assertThat(pg2.sql().queryValue("SELECT count(*) FROM story")).isEqualTo("3");

        acknowledged(log, commands.send(4, GROUP, "pg1",
                header -> new Command.Follow(header, "pg2", endpoints(pg2), "pg1", true)));
        acknowledged(log, commands.send(4, GROUP, "pg3",
                header -> new Command.Follow(header, "pg2", endpoints(pg2), "pg3", true)));

        pg2.sql().execute("INSERT INTO story (chapter) VALUES ('pg2 leads')");
        for (AgentNode replica : List.of(pg1, pg3)) {
            Await.until(replica.name() + " follows pg2", COMMAND_TIMEOUT,
                    () -> "4".equals(replica.sql().queryValue("SELECT count(*) FROM story")));
        }
        assertThat(status(pg2, "GET", "/primary")).isEqualTo(200);
        assertThat(status(pg1, "GET", "/primary")).isEqualTo(503);
        Await.until("pg1 answers as a replica", COMMAND_TIMEOUT, () -> status(pg1, "GET", "/replica") == 200);
    }

    @Test
    @Order(11)
    void aDivergedFormerPrimaryIsRewound() {
        // pg3 streams from pg1, a replica; stopping pg1 cuts pg3 off from everything
        acknowledged(log, commands.send(5, GROUP, "pg3",
                header -> new Command.Follow(header, "pg1", endpoints(pg1), "pg3", false)));
        Await.until("pg3 streams from pg1", COMMAND_TIMEOUT, () -> pg1.sql().queryColumn(
                "SELECT application_name FROM pg_stat_replication WHERE state = 'streaming'").contains("pg3"));
        acknowledged(log, commands.send(5, GROUP, "pg1",
                header -> new Command.Demote(header, Command.DemoteMode.IMMEDIATE)));

        // what pg2 writes now reaches nobody; then pg2 goes down and pg3 is promoted
        pg2.sql().execute("INSERT INTO story (chapter) VALUES ('only pg2 ever had this')");
        acknowledged(log, commands.send(5, GROUP, "pg2",
                header -> new Command.Demote(header, Command.DemoteMode.IMMEDIATE)));
        acknowledged(log, commands.send(5, GROUP, "pg3", header -> new Command.Promote(header, null)));
        assertThat(pg3.sql().queryValue("SELECT count(*) FROM story WHERE chapter = 'only pg2 ever had this'"))
                .isEqualTo("0");
        pg3.sql().execute("INSERT INTO story (chapter) VALUES ('pg3 took over')");

        int mark = log.mark();
        acknowledged(log, commands.send(5, GROUP, "pg2",
                header -> new Command.Follow(header, "pg3", endpoints(pg3), "pg2", true)));
        log.awaitAfter(mark, "pg2 rewound", MemberStateChanged.class,
                changed -> changed.member().equals("pg2") && changed.change() == StateChange.REWOUND, COMMAND_TIMEOUT);
        acknowledged(log, commands.send(5, GROUP, "pg1",
                header -> new Command.Follow(header, "pg3", endpoints(pg3), "pg1", true)));

        for (AgentNode replica : List.of(pg1, pg2)) {
            Await.until(replica.name() + " has pg3's history", COMMAND_TIMEOUT, () -> "1".equals(replica.sql()
                    .queryValue("SELECT count(*) FROM story WHERE chapter = 'pg3 took over'")));
            assertThat(replica.sql().queryValue("SELECT count(*) FROM story WHERE chapter = 'only pg2 ever had this'"))
                    .isEqualTo("0");
        }
        Await.until("pg1 and pg2 stream from pg3", COMMAND_TIMEOUT, () -> pg3.sql().queryColumn(
                "SELECT application_name FROM pg_stat_replication WHERE state = 'streaming' ORDER BY 1")
                .equals(List.of("pg1", "pg2")));
    }

    @Test
    @Order(12)
    void reinitializeCopiesTheDataAgain() {
        String systemIdentifier = pg3.sql().queryValue("SELECT system_identifier FROM pg_control_system()");
        pg1.sql().execute("SELECT 1");
        int mark = log.mark();

        acknowledged(log, commands.send(5, GROUP, "pg1", header -> new Command.Reinitialize(header, "pg3",
                endpoints(pg3), "pg3", endpoints(pg3), "pg1")));

        log.awaitAfter(mark, "pg1 reinitialized", MemberStateChanged.class,
                changed -> changed.member().equals("pg1") && changed.change() == StateChange.REINITIALIZED,
                COMMAND_TIMEOUT);
        assertThat(pg1.sql().queryValue("SELECT system_identifier FROM pg_control_system()")).isEqualTo(systemIdentifier);
        Await.until("pg1 streams from pg3 again", COMMAND_TIMEOUT, () -> pg3.sql().queryColumn(
                "SELECT application_name FROM pg_stat_replication WHERE state = 'streaming'").contains("pg1"));
        log.assertNoUndecodable();
    }
}
