package io.steward.decider;

import static io.steward.testkit.cluster.TestCluster.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.steward.core.event.AgentEvent.CommandOutcome;
import io.steward.core.event.AgentEvent.Outcome;
import io.steward.core.event.DeciderEvent;
import io.steward.core.event.DeciderEvent.DeciderActive;
import io.steward.core.event.DeciderEvent.DeciderElected;
import io.steward.core.event.LogRecord;
import io.steward.testkit.Await;
import io.steward.testkit.Testbed;
import io.steward.testkit.cluster.TestCluster;
import io.steward.testkit.decider.DeciderNode;

/**
 * Two (then three) decision-service instances over one group: the standby takes over when the
 * leader dies; a leader frozen past its lease writes nothing when it wakes; a leader that ignores
 * its lease on purpose (fault injection) is refused by the broker; and no command is ever carried
 * out twice.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeciderTakeoverIT {

    @RegisterExtension
    static final Testbed testbed = new Testbed();

    private static TestCluster group;

    @BeforeAll
    static void start() {
        group = new TestCluster(testbed);
        group.decider("d1");
        group.decider("d2");
        group.agent("pg1");
        group.agent("pg2");
        group.agent("pg3");
        group.awaitHealthy(2);
    }

    @AfterAll
    static void close() {
        if (group != null) {
            group.close();
        }
    }

    private static DeciderNode other(DeciderNode node) {
        return group.deciders().stream().filter(d -> d != node && d.isRunning()).findFirst().orElseThrow();
    }

    private static long epochOf(String instance, int mark) {
        return group.log().awaitAfter(mark, instance + " elected", DeciderElected.class,
                elected -> elected.instance().equals(instance), TIMEOUT).epoch();
    }

    @Test
    @Order(1)
    void whenTheLeaderDiesTheStandbyTakesOverWithinTheLeaseTtl() {
        DeciderNode leader = group.leader();
        DeciderNode standby = other(leader);
        int mark = group.log().mark();

        long killedAt = System.nanoTime();
        leader.kill9();
        DeciderActive active = group.log().awaitAfter(mark, standby.name() + " active", DeciderActive.class,
                a -> a.instance().equals(standby.name()), TIMEOUT);
        Duration handover = Duration.ofNanos(System.nanoTime() - killedAt);

        System.out.printf("[takeover] %s killed; %s active after %d ms (takeover after the election: %d ms, "
                + "%d records folded)%n", leader.name(), standby.name(), handover.toMillis(), active.takeoverMillis(),
                active.foldedRecords());
        assertThat(handover).as("lease ttl 4 s, plus reading back the election").isLessThan(Duration.ofSeconds(15));
        assertThat(standby.isLeader()).isTrue();
        leader.start();
        assertThat(group.awaitHealthy(2)).isNotNull();
    }

    @Test
    @Order(2)
    void aLeaderFrozenPastItsLeaseWritesNothingWhenItWakes() {
        DeciderNode frozen = group.leader();
        DeciderNode next = other(frozen);
        long frozenEpoch = group.log().events(DeciderElected.class).stream()
                .filter(e -> e.instance().equals(frozen.name())).mapToLong(DeciderElected::epoch).max().orElseThrow();
        int mark = group.log().mark();

        frozen.freeze();
        long newEpoch;
        try {
            newEpoch = epochOf(next.name(), mark);
        } finally {
            frozen.thaw();
        }
        Await.until(frozen.name() + " notices it is no longer leader", TIMEOUT, () -> !frozen.isLeader());
        Await.sleep(Duration.ofSeconds(3)); // time to write anything it still would

        assertThat(newEpoch).isGreaterThan(frozenEpoch);
        assertThat(recordsOfEpochAfterElection(frozenEpoch, newEpoch))
                .as("records of the frozen leader's epoch after its successor's election").isEmpty();
        assertThat(frozen.log().tail(2000)).containsAnyOf("leadership lost", "stepping down");
    }

    @Test
    @Order(3)
    void aDeposedLeaderThatIgnoresItsLeaseIsRefusedByTheBroker() {
        DeciderNode rogue = group.decider("d3", "-Dsteward.fault.decider-ignores-lease=true");
        for (DeciderNode decider : List.copyOf(group.deciders())) {
            if (decider != rogue && decider.isRunning()) {
                decider.stop(); // resigns: the rogue is elected at once
            }
        }
        int mark = group.log().mark();
        Await.until("the rogue leads", TIMEOUT, rogue::isLeader);
        long rogueEpoch = group.log().events(DeciderElected.class).stream()
                .filter(e -> e.instance().equals("d3")).mapToLong(DeciderElected::epoch).max().orElseThrow();
        DeciderNode successor = group.deciders().get(0);
        successor.start();

        rogue.freeze();
        long newEpoch;
        try {
            newEpoch = epochOf(successor.name(), mark);
        } finally {
            rogue.thaw();
        }
        Await.until("the rogue's write is refused", TIMEOUT,
                () -> rogue.log().tail(2000).contains("write rejected: the broker refused the write"));

        assertThat(newEpoch).isGreaterThan(rogueEpoch);
        DeciderActive active = group.log().awaitAfter(mark, successor.name() + " active", DeciderActive.class,
                a -> a.epoch() == newEpoch, TIMEOUT);
        assertThat(active.snapshotPartitions()).as("a restarted instance starts from the snapshots").isPositive();
        assertThat(active.foldedRecords()).as("and replays only the tail").isLessThan(group.log().mark());
        assertThat(recordsOfEpochAfterElection(rogueEpoch, newEpoch))
                .as("records of the rogue's epoch after its successor's election").isEmpty();
        assertThat(group.awaitHealthy(2)).isNotNull();
    }

    @Test
    @Order(4)
    void aLeaderWhoseLoopCannotGoOnResignsAndExitsSoThatTheStandbyTakesOver() {
        DeciderNode broken = group.decider("d4", "-Dsteward.fault.decider-throws=loop");
        for (DeciderNode decider : List.copyOf(group.deciders())) {
            if (decider != broken && decider.isRunning()) {
                decider.stop();
            }
        }
        int mark = group.log().mark();
        DeciderNode standby = group.deciders().get(0);
        Await.until(broken.name() + " elected", TIMEOUT, () -> group.log().events(DeciderElected.class).stream()
                .anyMatch(elected -> elected.instance().equals(broken.name())));
        standby.start();

        assertThat(broken.program().awaitExit(TIMEOUT)).as("exit code of a decider whose loop failed").isEqualTo(1);
        assertThat(broken.log().tail(2000)).contains("resigning the leadership");
        group.log().awaitAfter(mark, standby.name() + " active", DeciderActive.class,
                active -> active.instance().equals(standby.name()), TIMEOUT);
        assertThat(group.awaitHealthy(2)).isNotNull();
    }

    @Test
    @Order(5)
    void noCommandWasEverCarriedOutTwice() {
        Map<String, Integer> carriedOut = new HashMap<>();
        for (CommandOutcome outcome : group.log().events(CommandOutcome.class)) {
            if (outcome.outcome() != Outcome.REJECTED) {
                carriedOut.merge(outcome.member() + " " + outcome.commandId(), 1, Integer::sum);
            }
        }
        assertThat(carriedOut).isNotEmpty();
        assertThat(carriedOut).allSatisfy((command, times) -> assertThat(times).as(command).isEqualTo(1));
        group.log().assertNoUndecodable();
    }

    /** Decider records stamped {@code oldEpoch} that the log holds after {@code newEpoch}'s election, per partition. */
    private static List<LogRecord> recordsOfEpochAfterElection(long oldEpoch, long newEpoch) {
        Map<Integer, Long> electedAt = new HashMap<>();
        for (LogRecord record : group.log().records()) {
            if (record.event() instanceof DeciderElected elected && elected.epoch() == newEpoch) {
                electedAt.putIfAbsent(record.partition(), record.offset());
            }
        }
        return group.log().records().stream()
                .filter(r -> electedAt.containsKey(r.partition()) && r.offset() > electedAt.get(r.partition()))
                .filter(r -> r.event() instanceof DeciderEvent decision && decision.epoch() == oldEpoch)
                .toList();
    }
}
