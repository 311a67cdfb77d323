package io.steward.decider;

import static io.steward.testkit.cluster.TestCluster.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

import io.steward.core.event.AgentEvent.MemberStateChanged;
import io.steward.core.event.AgentEvent.StateChange;
import io.steward.core.event.DeciderEvent.CommandIssued;
import io.steward.core.event.DeciderEvent.FailoverCompleted;
import io.steward.core.event.DeciderEvent.FailoverDecided;
import io.steward.core.event.DeciderEvent.LeaderLeaseChanged;
import io.steward.core.command.Command;
import io.steward.core.decide.DecisionPolicy;
import io.steward.core.event.LogRecord;
import io.steward.core.replay.DecisionReplay;
import io.steward.core.state.ClusterState;
import io.steward.events.kafka.Topics;
import io.steward.events.snapshot.PartitionSnapshot;
import io.steward.events.snapshot.SnapshotStore;
import io.steward.testkit.Await;
import io.steward.testkit.Testbed;
import io.steward.testkit.cluster.TestCluster;
import io.steward.testkit.agent.AgentNode;
import io.steward.testkit.decider.DeciderNode;
import io.steward.testkit.process.ChildProcess;
import io.steward.testkit.process.Signal;

/**
 * A group from empty data directories to a failover and back: bootstrap; kill -9 of the primary's
 * agent and PostgreSQL; the most advanced replica is promoted, the other follows it; the old
 * primary rejoins when its agent comes back; and the log explains each step.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FailoverIT {

    @RegisterExtension
    static final Testbed testbed = new Testbed();

    private static TestCluster group;
    private static DeciderNode decider;
    private static String firstPrimary;

    @BeforeAll
    static void start() {
        group = new TestCluster(testbed);
        decider = group.decider("d1");
        group.agent("pg1");
        group.agent("pg2");
        group.agent("pg3");
    }

    @AfterAll
    static void close() {
        if (group != null) {
            group.close();
        }
    }

    @Test
    @Order(1)
    void threeEmptyMembersBecomeOnePrimaryAndTwoStreamingReplicas() {
        AgentNode primary = group.awaitHealthy(2);
        firstPrimary = primary.name();

        assertThat(group.writable()).containsExactly(firstPrimary);
        Await.until("the decider's view: one leader, two replicas", TIMEOUT, () -> {
            JsonNode cluster = TestCluster.view(decider);
            List<String> roles = cluster.get("members").findValuesAsText("role");
            return roles.stream().sorted().toList().equals(List.of("leader", "replica", "replica"))
                    && cluster.get("members").findValuesAsText("state").stream().sorted().toList()
                    .equals(List.of("running", "streaming", "streaming"));
        });
        primary.sql().execute("CREATE TABLE story (id serial PRIMARY KEY, chapter text)",
                "INSERT INTO story (chapter) VALUES ('bootstrapped')");
    }

    @Test
    @Order(2)
    void killingThePrimaryPromotesTheMostAdvancedReplica() throws Exception {
        AgentNode old = group.member(firstPrimary);
        List<AgentNode> replicas = group.agents().stream().filter(a -> a != old).toList();
        AgentNode ahead = replicas.get(0);
        AgentNode behind = replicas.get(1);
        // hold the second replica's WAL receiver while the primary writes far more than a socket holds
        long walReceiver = Long.parseLong(behind.sql().queryValue(
                "SELECT pid FROM pg_stat_activity WHERE backend_type = 'walreceiver'"));
        ChildProcess.sendSignal(walReceiver, Signal.STOP);
        try {
            old.sql().execute("INSERT INTO story (chapter) VALUES ('only the ahead replica has this')",
                    "CREATE TABLE ballast AS SELECT g, repeat('x', 500) AS pad FROM generate_series(1, 60000) g");
            String end = old.sql().queryValue("SELECT pg_current_wal_lsn()");
            Await.until(ahead.name() + " received everything", TIMEOUT, () -> "t".equals(ahead.sql().queryValue(
                    "SELECT pg_last_wal_receive_lsn() >= '" + end + "'")));
            int mark = group.log().mark();

            group.killHost(old);
            ChildProcess.sendSignal(walReceiver, Signal.CONT);

            AgentNode promoted = group.awaitHealthy(1);
            assertThat(promoted.name()).as("the replica that received the most WAL").isEqualTo(ahead.name());
            // the replica that was behind streams on: its walreceiver restarts once, when it reaches the timeline switch
            Await.until(behind.name() + " streams from " + promoted.name(), TIMEOUT,
                    () -> TestCluster.streamingFrom(promoted).equals(List.of(behind.name())));
            assertThat(promoted.sql().queryValue("SELECT count(*) FROM story")).isEqualTo("2");

            FailoverDecided decided = group.log().awaitAfter(mark, "the failover decision", FailoverDecided.class,
                    d -> true, TIMEOUT);
            assertThat(decided.newLeader()).isEqualTo(ahead.name());
            assertThat(decided.oldLeader()).isEqualTo(old.name());
            assertThat(decided.reason()).isNotBlank();
            group.log().awaitAfter(mark, "the old lease gone", LeaderLeaseChanged.class,
                    c -> c.holder() == null, TIMEOUT);
            group.log().awaitAfter(mark, "the promotion", MemberStateChanged.class,
                    c -> c.member().equals(ahead.name()) && c.change() == StateChange.PROMOTED, TIMEOUT);
            group.log().awaitAfter(mark, "the failover completed", FailoverCompleted.class, c -> true, TIMEOUT);
        } finally {
            ChildProcess.sendSignal(walReceiver, Signal.CONT);
        }
    }

    @Test
    @Order(3)
    void theOldPrimaryRejoinsAsAReplicaWhenItsAgentComesBack() {
        AgentNode old = group.member(firstPrimary);
        int mark = group.log().mark();

        old.start();

        AgentNode primary = group.awaitHealthy(2);
        assertThat(primary.name()).isNotEqualTo(old.name());
        assertThat(TestCluster.streamingFrom(primary)).contains(old.name());
        CommandIssued follow = group.log().awaitAfter(mark, "the old primary told to follow", CommandIssued.class,
                c -> c.command().member().equals(old.name()) && c.command() instanceof Command.Follow, TIMEOUT);
        assertThat(((Command.Follow) follow.command()).rewindIfDiverged()).isTrue();
        // streaming, it may still be replaying what pg_rewind brought before it takes connections
        Await.until(old.name() + " answers with the new primary's rows", TIMEOUT, () -> {
            try {
                return "2".equals(old.sql().queryValue("SELECT count(*) FROM story"));
            } catch (RuntimeException notYetConsistent) {
                return false;
            }
        });
    }

    @Test
    @Order(4)
    void theLogTellsTheWholeStory() {
        String story = group.log().records().stream()
                .map(record -> record.event().getClass().getSimpleName())
                .distinct().collect(Collectors.joining(", "));
        assertThat(story).contains("DeciderElected", "MemberRegistered", "BootstrapDecided", "CommandIssued",
                "ClusterInitialized", "LeaderLeaseChanged", "FailoverDecided", "FailoverCompleted", "CommandOutcome");
        group.log().assertNoUndecodable();
    }

    @Test
    @Order(5)
    void replayingTheLogGivesTheSameStateAndTheSameDecisions() {
        Map<Integer, PartitionSnapshot> snapshots = Await.value("a snapshot of the group's partition", TIMEOUT, () -> {
            Map<Integer, PartitionSnapshot> loaded = new SnapshotStore(Topics.DEFAULT)
                    .load(group.kafka().bootstrapServers(), Map.of());
            return loaded.values().stream().anyMatch(s -> !s.groups().isEmpty()) ? Optional.of(loaded) : Optional.empty();
        });
        for (PartitionSnapshot snapshot : snapshots.values()) {
            int partition = snapshot.partition().partition();
            Await.until("the log read up to the snapshot", TIMEOUT, () -> group.log().records().stream()
                    .anyMatch(r -> r.partition() == partition && r.offset() >= snapshot.position()));
            List<LogRecord> prefix = group.log().records().stream()
                    .filter(r -> r.partition() == partition && r.offset() <= snapshot.position()).toList();

            ClusterState replayed = DecisionReplay.fold(prefix);

            assertThat(PartitionSnapshot.of(replayed, partition))
                    .as("the decider's state at offset " + snapshot.position() + " of partition " + partition)
                    .isEqualTo(snapshot);
        }

        DecisionReplay.Verification verification = DecisionReplay.verify(group.log().records(), group.log()::basisOf,
                DecisionPolicy.DEFAULT);

        assertThat(verification.mismatches()).isEmpty();
        assertThat(verification.decisionsChecked()).as("decisions recomputed from their log prefix")
                .isGreaterThan(10);
    }
}
