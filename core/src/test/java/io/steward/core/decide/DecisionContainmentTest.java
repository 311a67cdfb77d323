package io.steward.core.decide;

import static io.steward.core.Clusters.three;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.steward.core.GroupLog;
import io.steward.core.event.DeciderEvent.GroupStuck;
import io.steward.core.event.DeciderEvent.GroupUnstuck;
import io.steward.core.event.DeciderEvent.RequestAnswered;
import io.steward.core.event.OperatorRequest.RestartRequested;
import io.steward.core.event.OperatorRequest.RoleFilter;
import io.steward.core.event.OperatorRequest.CancelScheduledRequested;
import io.steward.core.event.OperatorRequest.ReinitializeRequested;
import io.steward.core.state.ClusterState;
import io.steward.core.state.GroupState;
import io.steward.core.state.Transition;

/**
 * One bad input never stops the decisions: a request the rules cannot handle is answered with 500
 * and dropped, and a state the rules fail on is recorded once as stuck, deterministically, so
 * replay makes the same records.
 */
class DecisionContainmentTest {

    @Test
    void aRestartForAVersionTooLargeForAnIntIsAnsweredNotThrown() {
        GroupLog log = three().after(1);
        log.append(new RestartRequested(log.request("mallory"), List.of(), RoleFilter.ANY, false, null,
                "99999999999", null));
        Decision decision = log.decide();
        assertThat(decision.events()).singleElement().isInstanceOfSatisfying(RequestAnswered.class, answer -> {
            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.message()).contains("postgres_version must look like 15 or 15.4");
        });
    }

    @Test
    void aRequestTheRulesFailOnIsAnsweredWith500AndDropped() {
        GroupLog log = three().after(1);
        // requests naming no member and no action: the shape validation never lets one through,
        // an old or foreign writer might
        log.append(new ReinitializeRequested(log.request("mallory"), null, false, false));
        String requestId = log.lastRequestId();
        log.append(new CancelScheduledRequested(log.request("mallory"), null));
        String secondId = log.lastRequestId();

        Decision decision = log.decideAndApply();

        assertThat(decision.rejected()).containsExactly(requestId);
        assertThat(decision.events()).singleElement().isInstanceOfSatisfying(RequestAnswered.class, answer -> {
            assertThat(answer.status()).isEqualTo(500);
            assertThat(answer.message()).startsWith("the decider cannot carry out this request (")
                    .as("no message that depends on the JVM").contains("java.lang.NullPointerException in ")
                    .doesNotContain("because");
        });
        assertThat(log.decideAndApply().rejected()).as("the next one too").containsExactly(secondId);
        assertThat(log.group().requests()).isEmpty();
        assertThat(log.decide().events()).as("the group decides normally again").isEmpty();
        assertThat(log.decide().reason()).startsWith("no action: n1 is the leader");
    }

    @Test
    void aStateTheRulesFailOnIsRecordedStuckOnceAndUnstuckWhenItChanges() {
        GroupLog log = three();
        GroupState broken = log.group().withTransition(new Transition.Demotion(Transition.Kind.SWITCHOVER, null, "n2",
                "req-1", "alice", "asked", log.now(), null, false, null));
        ClusterState state = log.state().withGroup(broken);

        Decision first = Decider.decide(state, GroupLog.GROUP, log.now(), DecisionPolicy.DEFAULT);
        assertThat(first.events()).singleElement().isInstanceOfSatisfying(GroupStuck.class,
                stuck -> assertThat(stuck.reason()).startsWith("the decision rules fail on this group's state: "));
        assertThat(first.rejected()).isEmpty();

        GroupStuck stuck = (GroupStuck) first.events().get(0);
        ClusterState recorded = state.withGroup(broken.withStuck(stuck.reason()));
        Decision again = Decider.decide(recorded, GroupLog.GROUP, log.now(), DecisionPolicy.DEFAULT);
        assertThat(again.events()).as("recorded once, not on every record").isEmpty();
        assertThat(again.reason()).startsWith("stuck: ");

        ClusterState mended = recorded.withGroup(broken.withStuck(stuck.reason()).withTransition(null));
        Decision resumed = Decider.decide(mended, GroupLog.GROUP, log.now(), DecisionPolicy.DEFAULT);
        assertThat(resumed.events()).singleElement().isInstanceOf(GroupUnstuck.class);
    }

    @Test
    void containmentIsDeterministic() {
        GroupLog log = three().after(1);
        log.append(new ReinitializeRequested(log.request("mallory"), null, false, false));
        assertThat(log.decide()).isEqualTo(log.decide());
    }
}
