package io.steward.audit.alert;

import static io.steward.audit.alert.AlertLog.GROUP;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.steward.core.config.ConfigTree;
import io.steward.core.event.DeciderEvent.SwitchoverStarted;

class AlertMetricsTest {

    @Test
    void countsTheFailoverItsDurationInLogTimeAndTheAlertsFiring() {
        String text = AlertRulesTest.killPrimary().metrics().render();

        assertThat(text).contains("# TYPE steward_failovers_total counter\n")
                .contains("steward_failovers_total{scope=\"demo\",group=\"0\",kind=\"automatic\"} 1\n")
                .contains("# TYPE steward_failover_duration_seconds histogram\n")
                .contains("steward_failover_duration_seconds_bucket{kind=\"automatic\",le=\"1\"} 0\n")
                .contains("steward_failover_duration_seconds_bucket{kind=\"automatic\",le=\"2\"} 1\n")
                .contains("steward_failover_duration_seconds_bucket{kind=\"automatic\",le=\"+Inf\"} 1\n")
                .contains("steward_failover_duration_seconds_sum{kind=\"automatic\"} 1.5\n")
                .contains("steward_failover_duration_seconds_count{kind=\"automatic\"} 1\n")
                .contains("steward_failover_duration_seconds_count{kind=\"switchover\"} 0\n")
                .contains("steward_alerts_firing{alertname=\"StewardMemberDown\"} 1\n")
                .contains("steward_alerts_firing{alertname=\"StewardPrimaryDown\"} 0\n")
                .doesNotContain("kind=\"manual\"} 1");
    }

    @Test
    void aSwitchoverCountsAsItsOwnKindAndAStaleOneNotAtAll() {
        AlertLog log = AlertLog.withDefaults().healthy(ConfigTree.EMPTY, "n1", "n2");
        log.at(1).append(new SwitchoverStarted(1, GROUP, "n1", "n2", "req-1", "switchover to n2", List.of()));
        log.at(2).elected(2, "decider-b").append(new SwitchoverStarted(1, GROUP, "n1", "n2", "req-2", "stale",
                List.of()));

        assertThat(log.metrics().render())
                .contains("steward_failovers_total{scope=\"demo\",group=\"0\",kind=\"switchover\"} 1\n")
                .contains("steward_alerts_firing{alertname=\"StewardSwitchover\"} 1\n")
                .contains("steward_alerts_firing{alertname=\"StewardDeciderChanged\"} 0\n");
    }
}
