package io.steward.system;

import static io.steward.testkit.cluster.TestCluster.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.steward.core.event.AgentEvent.MemberStateChanged;
import io.steward.core.event.AgentEvent.StateChange;
import io.steward.core.event.DeciderEvent.CommandIssued;
import io.steward.core.event.DeciderEvent.ConfigurationChanged;
import io.steward.core.event.DeciderEvent.FailoverDecided;
import io.steward.testkit.Await;
import io.steward.testkit.Testbed;
import io.steward.testkit.agent.AgentNode;
import io.steward.testkit.cluster.TestCluster;

/**
 * Patroni's {@code recovery} scenarios: the primary's PostgreSQL crashes (its postmaster is killed
 * with SIGKILL, the agent lives on) and is restarted in place, with no failover; with
 * {@code primary_start_timeout: 0} the same crash fails over at once instead.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrashRecoveryIT {

    @RegisterExtension
    static final Testbed testbed = new Testbed();

    private static TestCluster cluster;
    private static Stewardctl stewardctl;

    @BeforeAll
    static void start() {
        cluster = TestCluster.of(testbed, 1, "pg1", "pg2");
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
    void aCrashedPrimaryIsRestartedInPlace() {
        AgentNode primary = cluster.awaitHealthy(1);
        int mark = cluster.log().mark();

        long killed = System.nanoTime();
        killPostmaster(primary);
        cluster.log().awaitAfter(mark, "the restart in place", MemberStateChanged.class,
                c -> c.member().equals(primary.name()) && c.change() == StateChange.STARTED, TIMEOUT);
        Await.until(primary.name() + " writable again", TIMEOUT,
                () -> cluster.writable().equals(List.of(primary.name())));
        Report.timing("crash recovery", "postmaster killed → the same primary writable again",
                Duration.ofNanos(System.nanoTime() - killed));

        assertThat(cluster.log().records().subList(mark, cluster.log().records().size()))
                .as("no failover").noneMatch(r -> r.event() instanceof FailoverDecided);
        assertThat(cluster.awaitHealthy(1)).isEqualTo(primary);
    }

    @Test
    @Order(2)
    void withPrimaryStartTimeoutZeroACrashFailsOverAtOnce() {
        AgentNode primary = cluster.awaitHealthy(1);
        int mark = cluster.log().mark();
        Stewardctl.Result edit = stewardctl.run("edit-config", "demo", "-s", "primary_start_timeout=0", "--force");
        assertThat(edit.exitCode()).as(edit.out() + edit.err()).isZero();
        cluster.log().awaitAfter(mark, "the new configuration", ConfigurationChanged.class,
                c -> c.config().toString().contains("primary_start_timeout"), TIMEOUT);

        long killed = System.nanoTime();
        killPostmaster(primary);
        FailoverDecided decision = cluster.log().awaitAfter(mark, "the failover", FailoverDecided.class, d -> true,
                TIMEOUT);
        String promoted = Await.value("a new primary", TIMEOUT,
                () -> cluster.writable().stream().filter(name -> !name.equals(primary.name())).findFirst());
        Report.timing("crash recovery, primary_start_timeout 0", "postmaster killed → new primary writable",
                Duration.ofNanos(System.nanoTime() - killed));

        assertThat(decision.newLeader()).isEqualTo(promoted);
        assertThat(cluster.log().records().subList(mark, cluster.log().records().size()))
                .as("the crashed primary was demoted at once, for that reason")
                .anyMatch(r -> r.event() instanceof CommandIssued issued
                        && issued.reason().contains("primary_start_timeout is 0"));
        Await.until(primary.name() + " follows " + promoted, TIMEOUT,
                () -> TestCluster.streamingFrom(cluster.member(promoted)).contains(primary.name()));
    }

    /** SIGKILL to the postmaster only: the agent and the watchdog's parent survive. */
    private static void killPostmaster(AgentNode member) {
        try {
            long pid = Long.parseLong(Files.readAllLines(member.dataDir().resolve("postmaster.pid")).get(0).strip());
            ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
