package io.steward.audit.view;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.steward.audit.alert.AlertLog;
import io.steward.audit.log.LogStore;
import io.steward.core.config.ConfigTree;
import io.steward.core.event.AgentEvent.MemberStateChanged;
import io.steward.core.event.AgentEvent.StateChange;
import io.steward.core.event.CitusEvent.CitusTopologyApplied;
import io.steward.core.event.DeciderEvent.FailoverCompleted;
import io.steward.core.event.DeciderEvent.FailoverDecided;
import io.steward.core.event.DeciderEvent.FailoverKind;
import io.steward.core.event.DeciderEvent.ConfigurationChanged;
import io.steward.core.event.LogRecord;
import io.steward.core.fold.ClusterFold;
import io.steward.core.model.GroupId;
import io.steward.core.model.Lsn;
import io.steward.core.model.PgState;
import io.steward.core.model.Role;
import io.steward.core.state.ClusterState;

/** The audit's views over a log of a failover: replay, timeline, story, configuration history, lag. */
class AuditViewsTest {

    private static final String REASON = "promoting n2: the leader lease of n1 is gone; n2 is the most advanced";

    /** The failover, then a long quiet tail (more records than a snapshot interval), with a configuration change. */
    static AlertLog failoverAndAQuietTail() {
        AlertLog log = AlertLog.killedPrimary(REASON);
        log.at(11).append(new ConfigurationChanged(1, AlertLog.GROUP, 2, ConfigTree.of(Map.of("ttl", 20)),
                ConfigTree.of(Map.of("ttl", 20, "loop_wait", 10)), "alice", "req-9"));
        log.at(12).append(new ConfigurationChanged(1, AlertLog.GROUP, 3, ConfigTree.of(Map.of("loop_wait", 5)),
                ConfigTree.of(Map.of("ttl", 20, "loop_wait", 5)), "bob", "req-10"));
        for (int i = 0; i < 3 * LogStore.SNAPSHOT_EVERY; i++) {
            double seconds = 13 + i * 0.01;
            log.at(seconds).tick();
            if (i % 100 == 0) {
                log.heartbeat("n2", AlertLog.primary("0/5" + String.format("%06X", 0x200 + i * 16), 2));
                log.heartbeat("n3", AlertLog.replica("0/5" + String.format("%06X", 0x200 + i * 8), 2, "n2"));
            }
        }
        return log;
    }

    static LogStore store(AlertLog log) {
        LogStore store = new LogStore();
        for (LogRecord record : log.records()) {
            store.append(record, OptionalLong.empty());
        }
        return store;
    }

    @Test
    void theStateAtAnyInstantIsTheFoldOfEveryRecordUpToIt() {
        AlertLog log = failoverAndAQuietTail();
        LogStore store = store(log);
        assertThat(store.size()).isGreaterThan(3 * LogStore.SNAPSHOT_EVERY);
        for (double seconds : new double[] {-1, 0, 4.5, 5.05, 6.55, 12, 20.5, 40, 74, 1000}) {
            Instant at = AlertLog.T0.plusMillis((long) (seconds * 1000));
            ClusterState expected = ClusterState.EMPTY;
            for (LogRecord record : log.records()) {
                if (!record.timestamp().isAfter(at)) {
                    expected = ClusterFold.apply(expected, record);
                }
            }
            assertThat(store.stateAt(at)).as("state at %s s", seconds).isEqualTo(expected);
        }
        assertThat(store.stateAt(AlertLog.T0.plusSeconds(4)).group(AlertLog.GROUP).orElseThrow().leader()).isEqualTo("n1");
        assertThat(store.stateAt(AlertLog.T0.plusSeconds(7)).group(AlertLog.GROUP).orElseThrow().leader()).isEqualTo("n2");
        assertThat(store.state()).isEqualTo(log.records().stream().reduce(ClusterState.EMPTY, ClusterFold::apply,
                (a, b) -> b));
    }

    @Test
    void theTimelineHidesHeartbeatsFiltersAndPagesWithoutGapsOrRepeats() {
        LogStore store = store(failoverAndAQuietTail());
        Map<String, Object> first = new Timeline(null, null, null, Set.of(), null, null, null, 5).page(store);
        List<Map<String, Object>> rows = rows(first);
        assertThat(rows).hasSize(5).extracting(row -> row.get("kind")).doesNotContain("MemberObserved", "Tick");
        assertThat(rows.get(0).get("kind")).isEqualTo("ConfigurationChanged");

        int matched = (int) first.get("matched");
        int seen = rows.size();
        Integer next = (Integer) first.get("next");
        java.util.Set<Object> indices = new java.util.HashSet<>(rows.stream().map(row -> row.get("index")).toList());
        while (next != null) {
            Map<String, Object> page = new Timeline(null, null, null, Set.of(), null, null, next, 5).page(store);
            for (Map<String, Object> row : rows(page)) {
                assertThat(indices.add(row.get("index"))).as("shown twice: %s", row).isTrue();
            }
            seen += rows(page).size();
            next = (Integer) page.get("next");
        }
        assertThat(seen).isEqualTo(matched);

        Map<String, Object> n1 = new Timeline("demo", 0, "n1", Set.of("MemberDeclaredFailed", "MemberObserved"), null,
                null, null, 50).page(store);
        assertThat(rows(n1)).extracting(row -> row.get("kind")).containsExactly("MemberDeclaredFailed", "MemberObserved");
        assertThat(rows(n1).get(0).get("summary")).isEqualTo("n1 held failed: n1 silent for 4.0 s");

        Map<String, Object> window = new Timeline(null, null, null, Set.of("Tick"), AlertLog.T0.plusSeconds(1),
                AlertLog.T0.plusSeconds(2), null, 1000).page(store);
        assertThat(window.get("matched")).isEqualTo(11);
    }

    @Test
    void theStoryOfAFailoverGoesFromTheLastHeartbeatToTheNewPrimarysFirst() {
        LogStore store = store(failoverAndAQuietTail());
        assertThat(store.leaderChanges()).hasSize(1);
        Map<String, Object> story = FailoverStories.story(store, store.leaderChanges()[0]);
        assertThat(story).containsEntry("kind", "failover").containsEntry("from", "n1").containsEntry("to", "n2")
                .containsEntry("reason", REASON).containsEntry("outcome", "completed")
                .containsEntry("first_sign", "last heartbeat from n1").containsEntry("detection_ms", 5000L)
                .containsEntry("decision_to_primary_ms", 1000L).containsEntry("total_ms", 7000L);
        List<Map<String, Object>> steps = rows(story, "steps");
        assertThat(steps).extracting(step -> step.get("step")).containsExactly("last heartbeat from n1",
                "leader held failed", "leader lease free", "decision", "promote n2 sent", "n2 promoted", "completed",
                "first heartbeat from n2 as primary");
        assertThat(steps).extracting(step -> step.get("since_previous_ms")).containsExactly(0L, 4100L, 400L, 500L, 0L,
                1000L, 500L, 500L);
        assertThat(FailoverStories.list(store)).singleElement().satisfies(row -> assertThat(row)
                .containsEntry("outcome", "completed").doesNotContainKey("steps"));
    }

    @Test
    void aCitusWorkersStoryEndsWithTheCoordinatorsUpdate() {
        GroupId worker = new GroupId("citus", 1);
        GroupId coordinator = new GroupId("citus", 0);
        Instant t = AlertLog.T0;
        LogStore store = new LogStore();
        List<io.steward.core.event.Event> events = List.of(
                new FailoverDecided(1, worker, "w1", "w2", FailoverKind.AUTOMATIC, null, "promoting w2", List.of()),
                new MemberStateChanged(worker, "w2", "inc-w2", StateChange.PROMOTED, Role.PRIMARY, PgState.RUNNING, 2,
                        Lsn.parse("0/5000100"), "promoted"),
                new CitusTopologyApplied(coordinator, "c1", List.of(), List.of("0:1"), 0, 3, "sync-a"),
                new CitusTopologyApplied(coordinator, "c1", List.of("citus_update_node(2, '10.0.1.2', 5432, true, 10000)"),
                        List.of("0:3"), 0, 12, "sync-a"),
                new FailoverCompleted(1, worker, "w1", "w2", 2, null, "w2 is the primary"));
        long[] millis = {0, 600, 620, 650, 700};
        for (int i = 0; i < events.size(); i++) {
            store.append(new LogRecord(i % 2, i, t.plusMillis(millis[i]), events.get(i)), OptionalLong.empty());
        }
        Map<String, Object> story = FailoverStories.story(store, 0);
        assertThat(rows(story, "steps")).extracting(step -> step.get("step")).containsExactly("decision", "w2 promoted",
                "pg_dist_node updated on c1", "completed");
        assertThat(rows(story, "steps").get(2)).containsEntry("since_previous_ms", 50L)
                .containsEntry("detail", "citus_update_node(2, '10.0.1.2', 5432, true, 10000)");
    }

    @Test
    void theConfigurationHistoryShowsEachChangeKeyByKeyNewestFirst() {
        List<Map<String, Object>> changes = ConfigHistory.of(store(failoverAndAQuietTail()), "demo");
        assertThat(changes).extracting(change -> change.get("version")).containsExactly(3L, 2L, 1L);
        assertThat(changes.get(2)).containsEntry("actor", "bootstrap by n1");
        assertThat(changes.get(0)).containsEntry("actor", "bob");
        assertThat(changes.get(0).get("diff")).isEqualTo(List.of(Map.of("key", "loop_wait", "before", 10L, "after", 5L)));
        assertThat(ConfigHistory.of(store(failoverAndAQuietTail()), "other")).isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void lagIsThePrimarysPositionMinusTheReplicas() {
        LogStore store = store(failoverAndAQuietTail());
        Map<String, Object> lag = LagSeries.of(store, AlertLog.GROUP, AlertLog.T0.plusSeconds(13), null);
        Map<String, List<long[]>> series = (Map<String, List<long[]>>) lag.get("series");
        assertThat(series).containsOnlyKeys("n3");
        long[] last = series.get("n3").get(series.get("n3").size() - 1);
        int i = 6100;
        assertThat(last[1]).isEqualTo((long) (i * 16 - i * 8));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rows(Map<String, Object> page) {
        return rows(page, "rows");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rows(Map<String, Object> page, String key) {
        return (List<Map<String, Object>>) page.get(key);
    }
}
