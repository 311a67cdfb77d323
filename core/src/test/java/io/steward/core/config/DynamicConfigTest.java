package io.steward.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.steward.core.config.DynamicConfig.SynchronousMode;

class DynamicConfigTest {

    @Test
    void defaultsAreStewardsFastOnesAndPatronisOtherwise() {
        DynamicConfig config = DynamicConfig.DEFAULT;
        assertThat(config.ttl()).isEqualTo(Duration.ofSeconds(4));
        assertThat(config.maximumLagOnFailover()).isEqualTo(1_048_576);
        assertThat(config.primaryStartTimeout()).isEqualTo(Duration.ofSeconds(300));
        assertThat(config.synchronousMode()).isEqualTo(SynchronousMode.OFF);
        assertThat(config.usePgRewind()).isTrue();
        assertThat(config.parameters()).containsEntry("max_connections", "100").containsEntry("wal_level", "replica")
                .containsEntry("wal_retrieve_retry_interval", "200ms");
    }

    @Test
    void readsPatroniKeysIncludingLegacyNames() {
        ConfigTree tree = ConfigTree.of(Map.of("ttl", 20, "master_start_timeout", 0, "synchronous_mode", "quorum",
                "postgresql", Map.of("use_pg_rewind", false, "parameters", Map.of("max_connections", 200, "hot_standby", true))));
        DynamicConfig.Parsed parsed = DynamicConfig.parse(3, tree);
        assertThat(parsed.errors()).isEmpty();
        DynamicConfig config = parsed.config();
        assertThat(config.version()).isEqualTo(3);
        assertThat(config.ttl()).isEqualTo(Duration.ofSeconds(20));
        assertThat(config.primaryStartTimeout()).isZero();
        assertThat(config.synchronousMode()).isEqualTo(SynchronousMode.QUORUM);
        assertThat(config.usePgRewind()).isFalse();
        assertThat(config.parameter("max_connections")).isEqualTo("200");
        assertThat(config.parameter("hot_standby")).isEqualTo("on");
        assertThat(config.clusterWideParameters()).containsKey("max_wal_senders").doesNotContainKey("work_mem");
    }

    @Test
    void numbersTooLargeToComputeWithAreErrorsAndKeepTheDefaults() {
        ConfigTree tree = ConfigTree.of(mapOf("ttl", 1e300, "retry_timeout", Long.MAX_VALUE,
                "max_timelines_history", 1L << 40, "synchronous_node_count", 3_000_000_000L,
                "primary_start_timeout", 9_000_000_000_000L));
        DynamicConfig.Parsed parsed = DynamicConfig.parse(1, tree);
        assertThat(parsed.errors()).containsExactlyInAnyOrder(
                "ttl: must be at most 3600, got 9223372036854775807",
                "retry_timeout: must be at most 86400, got 9223372036854775807",
                "max_timelines_history: must be at most 2147483647, got 1099511627776",
                "synchronous_node_count: must be at most 1000, got 3000000000",
                "primary_start_timeout: must be at most 86400, got 9000000000000");
        DynamicConfig config = parsed.config();
        assertThat(config.ttl()).isEqualTo(Duration.ofSeconds(4));
        assertThat(config.primaryStartTimeout()).isEqualTo(Duration.ofSeconds(300));
        assertThat(config.ttl().toNanos()).isPositive(); // every duration stays computable in nanoseconds
    }

    @Test
    void everyErrorNamesTheKeyPathAndTheProblem() {
        ConfigTree tree = ConfigTree.of(mapOf("ttl", "soon", "loop_wait", 0, "synchronous_mode", "sometimes",
                "postgresql", mapOf("parameters", mapOf("wal_level", "minimal", "max_wal_senders", 1,
                        "hot_standby", "off", "wal_keep_size", "8MB"))));
        DynamicConfig.Parsed parsed = DynamicConfig.parse(1, tree);
        assertThat(parsed.isValid()).isFalse();
        assertThat(parsed.errors()).containsExactlyInAnyOrder(
                "ttl: must be a whole number, got 'soon'",
                "loop_wait: must be at least 1, got 0",
                "synchronous_mode: must be on, off or quorum, got 'sometimes'",
                "postgresql.parameters.wal_level: must be replica or logical (hot_standby means replica), got 'minimal'",
                "postgresql.parameters.max_wal_senders: must be a whole number of at least 3, got '1'",
                "postgresql.parameters.hot_standby: must be on: replicas have to answer queries and report their positions, got 'off'",
                "postgresql.parameters.wal_keep_size: must be at least 16MB, got '8MB'");
    }

    @Test
    void unknownAndNotYetImplementedKeysAreWarnedAboutNotSilentlyDropped() {
        ConfigTree tree = ConfigTree.of(mapOf("failsafe_mode", true, "tll", 5, "postgresql",
                mapOf("recovery_conf", mapOf(), "parameters", mapOf("port", 5433))));
        DynamicConfig.Parsed parsed = DynamicConfig.parse(1, tree);
        assertThat(parsed.errors()).isEmpty();
        assertThat(parsed.warnings()).containsExactlyInAnyOrder(
                "failsafe_mode: accepted but not implemented by Steward yet; it has no effect",
                "tll: unknown dynamic configuration key, ignored",
                "postgresql.recovery_conf: accepted but not implemented by Steward yet; it has no effect",
                "postgresql.parameters.port: set per member from its own YAML (postgresql.listen, scope), ignored here");
        assertThat(parsed.config().parameter("port")).isNull();
    }

    @Test
    void mergePatchFollowsRfc7396() {
        ConfigTree base = ConfigTree.of(mapOf("ttl", 30, "postgresql", mapOf("parameters", mapOf("a", 1, "b", 2))));
        ConfigTree patch = ConfigTree.of(mapOf("ttl", null, "postgresql", mapOf("parameters", mapOf("b", null, "c", 3))));
        ConfigTree merged = base.merge(patch);
        assertThat(merged.get("ttl")).isNull();
        assertThat(merged.subtree("postgresql.parameters").toMap()).isEqualTo(Map.of("a", 1L, "c", 3L));
        assertThat(base.get("ttl")).isEqualTo(30L);
    }

    @Test
    void patchedBumpsTheVersionAndValidates() {
        DynamicConfig.Parsed parsed = DynamicConfig.DEFAULT.patched(ConfigTree.of(Map.of("ttl", 1)));
        assertThat(parsed.config().version()).isEqualTo(1);
        assertThat(parsed.errors()).containsExactly("ttl: must be at least 2, got 1");
    }

    private static Map<String, Object> mapOf(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    static String join(Object... parts) {
        return String.join(",", Arrays.stream(parts).map(String::valueOf).toList());
    }
}
