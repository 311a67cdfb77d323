package io.steward.agent.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.steward.core.model.Lsn;
import io.steward.core.model.Observation;
import io.steward.core.model.PgState;
import io.steward.core.model.Role;
import io.steward.core.model.Tags;

/** The health checks' status codes, as Patroni's api.py gives them, computed from one status. */
class MemberStatusTest {

    private static final Duration TTL = Duration.ofSeconds(4);

    static Observation primary() {
        return new Observation(Role.PRIMARY, PgState.RUNNING, 1, new Lsn(0x3000000), new Lsn(0x3000000), null, null,
                null, null, false, Map.of(), List.of(), 7L, "", null, 1, null, null);
    }

    static Observation replica(String replicationState, Long lagBytes) {
        return new Observation(Role.REPLICA, PgState.RUNNING, 1, null, null, new Lsn(0x3000000), new Lsn(0x3000000),
                replicationState, "pg1", false, Map.of(), List.of(), 7L, null, null, 1, lagBytes, 0L);
    }

    static Observation stopped() {
        return new Observation(Role.REPLICA, PgState.STOPPED, 1, null, null, null, null, null, null, false, Map.of(),
                List.of(), 7L, null, null, 1, null, null);
    }

    static MemberStatus status(Observation observation, boolean lease, Tags tags, String syncState) {
        return new MemberStatus(observation, lease, tags, syncState, Duration.ofMillis(500), TTL, 1_048_576);
    }

    static Map<String, List<String>> query(String... pairs) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            query.put(pairs[i], List.of(pairs[i + 1]));
        }
        return query;
    }

    static List<String> passing(MemberStatus status, Map<String, List<String>> query) {
        return MemberStatus.CHECKS.stream().filter(check -> status.passes(check, query)).toList();
    }

    @Test
    void aPrimaryHoldingTheLeasePassesTheWriteChecks() {
        MemberStatus status = status(primary(), true, Tags.NONE, null);

        assertThat(passing(status, Map.of())).containsExactly("primary", "master", "read-write", "leader",
                "read-only", "read-only-sync", "read-only-synchronous", "read-only-quorum", "health", "liveness",
                "readiness");
        assertThat(status.passes("", Map.of())).isTrue();
    }

    @Test
    void aPrimaryWithoutTheLeaseIsNotAPrimaryForLoadBalancers() {
        MemberStatus status = status(primary(), false, Tags.NONE, null);

        assertThat(status.passes("", Map.of())).isFalse();
        assertThat(status.passes("primary", Map.of())).isFalse();
        assertThat(status.passes("leader", Map.of())).isFalse();
        assertThat(status.passes("health", Map.of())).isTrue();
    }

    @Test
    void anAsynchronousStreamingReplica() {
        MemberStatus status = status(replica("streaming", 0L), false, Tags.NONE, "async");

        assertThat(passing(status, Map.of())).containsExactly("replica", "read-only", "asynchronous", "async",
                "health", "liveness", "readiness");
    }

    @Test
    void aSynchronousReplicaPassesTheSyncChecksOnly() {
        MemberStatus status = status(replica("streaming", 0L), false, Tags.NONE, "sync");

        assertThat(passing(status, Map.of())).containsExactly("replica", "read-only", "synchronous", "sync",
                "read-only-sync", "read-only-synchronous", "health", "liveness", "readiness");
    }

    @Test
    void aQuorumReplica() {
        MemberStatus status = status(replica("streaming", 0L), false, Tags.NONE, "quorum");

        assertThat(status.passes("quorum", Map.of())).isTrue();
        assertThat(status.passes("read-only-quorum", Map.of())).isTrue();
        assertThat(status.passes("async", Map.of())).isFalse();
        assertThat(status.passes("sync", Map.of())).isFalse();
    }

    @Test
    void lagLimitsAcceptPatronisUnits() {
        MemberStatus status = status(replica("streaming", 20L * 1024 * 1024), false, Tags.NONE, "async");

        assertThat(status.passes("replica", query("lag", "16MB"))).isFalse();
        assertThat(status.passes("replica", query("lag", "32MB"))).isTrue();
        assertThat(status.passes("replica", query("lag", "33554432"))).isTrue();
        assertThat(status.passes("replica", query("lag", "1GB"))).isTrue();
        assertThat(status.passes("asynchronous", query("lag", "1kB"))).isFalse();
        assertThat(status.passes("replica", query("lag", "lots"))).as("unreadable: no limit, as Patroni").isTrue();
    }

    @Test
    void aReplicaThatDoesNotStreamHasNoKnownLag() {
        MemberStatus status = status(replica("stopped", null), false, Tags.NONE, null);

        assertThat(status.passes("replica", Map.of())).isTrue();
        assertThat(status.passes("replica", query("lag", "1MB"))).isFalse();
        assertThat(status.passes("readiness", Map.of())).isFalse();
    }

    @Test
    void replicationStateAndTagsFilter() {
        Tags tags = new Tags(false, null, false, false, null, false, null, false, Map.of("dc", "west"));
        MemberStatus status = status(replica("streaming", 0L), false, tags, "async");

        assertThat(status.passes("replica", query("replication_state", "streaming"))).isTrue();
        assertThat(status.passes("replica", query("replication_state", "in archive recovery"))).isFalse();
        assertThat(status.passes("replica", query("tag_dc", "west"))).isTrue();
        assertThat(status.passes("replica", query("tag_dc", "east"))).isFalse();
        assertThat(status.passes("replica", query("tag_nofailover", "false"))).isTrue();
    }

    @Test
    void noloadbalanceTakesAReplicaOutOfTheReadPool() {
        Tags tags = new Tags(false, null, true, false, null, false, null, false, Map.of());
        MemberStatus status = status(replica("streaming", 0L), false, tags, "async");

        assertThat(status.passes("replica", Map.of())).isFalse();
        assertThat(status.passes("read-only", Map.of())).isFalse();
        assertThat(status.passes("health", Map.of())).isTrue();
    }

    @Test
    void readinessUsesMaximumLagOnFailoverByDefault() {
        assertThat(status(replica("streaming", 1_000_000L), false, Tags.NONE, null).passes("readiness", Map.of()))
                .isTrue();
        assertThat(status(replica("streaming", 2_000_000L), false, Tags.NONE, null).passes("readiness", Map.of()))
                .isFalse();
        assertThat(status(replica("streaming", 2_000_000L), false, Tags.NONE, null)
                .passes("readiness", query("lag", "4MB"))).isTrue();
    }

    @Test
    void aStoppedInstanceFailsEverythingButLiveness() {
        MemberStatus status = status(stopped(), false, Tags.NONE, null);

        assertThat(passing(status, Map.of())).containsExactly("liveness");
    }

    @Test
    void livenessFailsWhenTheAgentStoppedReporting() {
        MemberStatus replicaStuck = new MemberStatus(replica("streaming", 0L), false, Tags.NONE, null,
                Duration.ofSeconds(9), TTL, 0);
        MemberStatus leaderStuck = new MemberStatus(primary(), true, Tags.NONE, null, Duration.ofSeconds(5), TTL, 0);

        assertThat(replicaStuck.passes("liveness", Map.of())).isFalse();
        assertThat(leaderStuck.passes("liveness", Map.of())).isFalse();
    }

    @Test
    void sizesParse() {
        assertThat(MemberStatus.bytes("16kB")).isEqualTo(16_384);
        assertThat(MemberStatus.bytes("64 MB")).isEqualTo(67_108_864);
        assertThat(MemberStatus.bytes("12")).isEqualTo(12);
        assertThat(MemberStatus.bytes("twelve")).isNull();
    }
}
