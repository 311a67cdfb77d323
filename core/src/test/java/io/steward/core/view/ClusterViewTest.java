package io.steward.core.view;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.steward.core.Clusters;
import io.steward.core.GroupLog;
import io.steward.core.state.GroupState;

/** The folded state as Patroni's /cluster shows it. */
class ClusterViewTest {

    @Test
    @SuppressWarnings("unchecked")
    void aHealthyGroupShowsItsLeaderAndReplicas() {
        GroupState group = Clusters.three().group();

        Map<String, Object> view = ClusterView.cluster("demo", List.of(group));

        List<Map<String, Object>> members = (List<Map<String, Object>>) view.get("members");
        assertThat(view.get("scope")).isEqualTo("demo");
        assertThat(members).extracting(m -> m.get("name")).containsExactly("n1", "n2", "n3");
        assertThat(members).extracting(m -> m.get("role")).containsExactly("leader", "replica", "replica");
        assertThat(members).extracting(m -> m.get("state")).as("replicas show how they replicate, as in Patroni")
                .containsExactly("running", "streaming", "streaming");
        assertThat(members.get(1)).containsKey("lag").doesNotContainKey("group");
        assertThat(view).doesNotContainKeys("pause", "leader_change", "scheduled_switchover");
    }

    @Test
    void historyRowsAreShapedLikePatronis() {
        GroupLog log = Clusters.three();

        List<List<Object>> rows = ClusterView.history(log.group());

        rows.forEach(row -> assertThat(row).hasSize(7));
    }
}
