package io.steward.system;

import static io.steward.testkit.cluster.TestCluster.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.steward.testkit.Await;
import io.steward.testkit.Testbed;
import io.steward.testkit.agent.AgentNode;
import io.steward.testkit.cluster.TestCluster;
import io.steward.testkit.cluster.Writer;

/**
 * Patroni's switchover scenarios through stewardctl: an immediate switchover and a scheduled one,
 * with an application writing every 10 ms; no acknowledged write is lost and the longest pause in
 * writes is printed. The history then tells who asked.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SwitchoverScenarioIT {

    @RegisterExtension
    static final Testbed testbed = new Testbed();

    private static TestCluster cluster;
    private static Stewardctl stewardctl;

    @BeforeAll
    static void start() {
        cluster = TestCluster.of(testbed, 2, "pg1", "pg2", "pg3");
        cluster.awaitHealthy(2);
        stewardctl = new Stewardctl(cluster.deciders());
    }

    @AfterAll
    static void close() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void listShowsOneLeaderAndTwoStreamingReplicasAsPatroniDoes() {
        Await.until("stewardctl list shows a leader and two replicas at lag 0", TIMEOUT, () -> {
            Stewardctl.Result list = stewardctl.run("list", "demo");
            return list.exitCode() == 0 && list.out().contains("| Member | Host")
                    && list.out().lines().filter(l -> l.contains("| Leader ")).count() == 1
                    && list.out().lines().filter(l -> l.contains("| Replica ") && l.contains("| streaming |")
                    && l.matches(".*\\|\\s+0\\s+\\|\\s*$")).count() == 2;
        });
    }

    @Test
    @Order(2)
    void anImmediateSwitchoverLosesNothing() {
        AgentNode primary = cluster.awaitHealthy(2);
        AgentNode candidate = cluster.agents().stream().filter(a -> a != primary).findFirst().orElseThrow();
        try (Writer writer = Writer.start(cluster.primaryUrl(), "postgres", AgentNode.SUPERUSER_PASSWORD,
                Duration.ofMillis(10))) {
            Await.until("writes acknowledged", TIMEOUT, () -> writer.acks().size() > 100);

            Stewardctl.Result result = stewardctl.run("switchover", "demo", "--leader", primary.name(),
                    "--candidate", candidate.name(), "--force");

            assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
            Await.until(candidate.name() + " leads", TIMEOUT,
                    () -> cluster.writable().equals(List.of(candidate.name()))
                            && TestCluster.streamingFrom(candidate).size() == 2);
            Await.until("writes acknowledged by the new primary", TIMEOUT,
                    () -> writer.firstAckAfter(0, primary.pgPort()).isPresent());
            Await.sleep(Duration.ofMillis(300));
            writer.close();
            assertNothingLost(writer, candidate, "switchover, immediate");
        }
    }

    @Test
    @Order(3)
    void aScheduledSwitchoverHappensAtItsTime() throws InterruptedException {
        AgentNode primary = cluster.awaitHealthy(2);
        AgentNode candidate = cluster.agents().stream().filter(a -> a != primary).findFirst().orElseThrow();
        Instant at = Instant.now().plusSeconds(15);

        Stewardctl.Result result = stewardctl.run("switchover", "demo", "--leader", primary.name(),
                "--candidate", candidate.name(), "--scheduled", at.toString(), "--force");

        assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
        assertThat(result.out() + result.err()).contains("scheduled");
        assertThat(stewardctl.run("list", "demo").out()).contains("Switchover scheduled");
        Duration untilShortlyBefore = Duration.between(Instant.now(), at.minusSeconds(2));
        if (!untilShortlyBefore.isNegative()) {
            Thread.sleep(untilShortlyBefore.toMillis());
        }
        assertThat(cluster.writable()).as("not before its time").containsExactly(primary.name());
        Await.until(candidate.name() + " leads", TIMEOUT, () -> cluster.writable().equals(List.of(candidate.name())));
        assertThat(Instant.now()).isAfterOrEqualTo(at);
        Report.timing("switchover, scheduled", "switched after the scheduled time by",
                Duration.between(at, Instant.now()));
    }

    @Test
    @Order(4)
    void historyTellsWhoAskedAndWhy() {
        Stewardctl.Result history = stewardctl.run("history", "demo");

        assertThat(history.exitCode()).isZero();
        assertThat(history.out()).contains("TL").contains("LSN").contains("Reason").contains("New Leader")
                .contains("stewardctl:");
        assertThat(history.out().lines().filter(l -> l.startsWith("|  ") || l.matches("\\|\\s+\\d+\\s+\\|.*")).count())
                .isGreaterThanOrEqualTo(2);
    }

    @Test
    @Order(5)
    void aRefusalPrintsTheDecidersReason() {
        Stewardctl.Result notTheLeader = stewardctl.run("switchover", "demo", "--leader", "nobody", "--force");
        assertThat(notTheLeader.exitCode()).isEqualTo(1);
        assertThat(notTheLeader.out() + notTheLeader.err()).contains("Member nobody is not the leader of cluster demo");

        AgentNode leader = cluster.awaitHealthy(2);
        String inAnHour = Instant.now().plusSeconds(3600).toString();
        Stewardctl.Result scheduled = stewardctl.run("restart", "demo", leader.name(), "--scheduled", inAnHour, "--force");
        assertThat(scheduled.exitCode()).as(scheduled.out() + scheduled.err()).isZero();
        Stewardctl.Result refused = stewardctl.run("restart", "demo", leader.name(), "--scheduled", inAnHour, "--force");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.out() + refused.err()).as("the decider's own words")
                .contains("Another restart is already scheduled");
        assertThat(stewardctl.run("flush", "demo", "restart", "--force").exitCode()).isZero();
    }

    private static void assertNothingLost(Writer writer, AgentNode primary, String scenario) {
        Set<Long> present = new HashSet<>();
        primary.sql().queryColumn("SELECT id FROM steward_writes").forEach(id -> present.add(Long.parseLong(id)));
        Report.timing(scenario, "longest time without an acknowledged write", writer.longestGap());
        assertThat(writer.lost(present)).as("acknowledged writes lost").isEmpty();
    }
}
