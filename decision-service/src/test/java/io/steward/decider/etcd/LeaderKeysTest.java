package io.steward.decider.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.etcd.jetcd.ByteSequence;
import io.steward.core.model.GroupId;

class LeaderKeysTest {

    private final LeaderKeys keys = new LeaderKeys(null, "/service/");

    private GroupId group(String key) {
        return keys.group(ByteSequence.from(key, StandardCharsets.UTF_8));
    }

    @Test
    void leaderKeysNameTheirScopeAndGroup() {
        assertThat(group("/service/demo/0/leader")).isEqualTo(new GroupId("demo", 0));
        assertThat(group("/service/citus-prod/3/leader")).isEqualTo(new GroupId("citus-prod", 3));
    }

    @Test
    void otherKeysAreNotLeaderKeys() {
        assertThat(group("/service/demo/0/members/pg1")).isNull();
        assertThat(group("/service/demo/leader")).isNull();
        assertThat(group("/other/demo/0/leader")).isNull();
    }

    @Test
    void beforeTheFirstReadNothingIsKnown() {
        assertThat(keys.isSynced()).isFalse();
        assertThat(keys.of(new GroupId("demo", 0)).holder()).isNull();
    }
}
