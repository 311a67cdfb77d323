package io.steward.decider.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.PutOption;
import io.steward.core.model.GroupId;
import io.steward.testkit.Await;
import io.steward.testkit.Testbed;
import io.steward.testkit.etcd.EtcdNode;

/**
 * The decider's view of the leader keys on a real etcd: a key deleted by hand while its lease
 * lives still counts as held by the same member (its agent puts it back), so nothing fails over;
 * it is gone only once that lease has ended.
 */
class LeaderKeysIT {

    @RegisterExtension
    static final Testbed testbed = new Testbed();

    private static EtcdNode etcdNode;
    private static Client etcd;
    private static LeaderKeys keys;

    @BeforeAll
    static void start() {
        etcdNode = testbed.etcd().start();
        etcd = Client.builder().endpoints(etcdNode.endpoint()).build();
        keys = new LeaderKeys(etcd, "/service/");
        keys.start(5);
        Await.until("the first read", Duration.ofSeconds(30), keys::isSynced);
    }

    @AfterAll
    static void stop() {
        keys.close();
        etcd.close();
    }

    @Test
    void aKeyDeletedWhileItsLeaseLivesStillCountsAsHeldUntilTheLeaseEnds() throws Exception {
        GroupId group = new GroupId("deleted", 0);
        ByteSequence key = ByteSequence.from("/service/deleted/0/leader", StandardCharsets.UTF_8);
        long lease = heldByPg1(group, key);

        etcd.getKVClient().delete(key).get(5, TimeUnit.SECONDS);
        Await.until("the deletion seen", Duration.ofSeconds(10), () -> keys.of(group).cause().startsWith("deleted"));
        assertThat(keys.of(group).holder()).isEqualTo("pg1");
        assertThat(keys.of(group).cause()).contains("lives").contains("pg1 takes it back");
        Await.sleep(Duration.ofSeconds(6)); // a full read meanwhile changes nothing either
        assertThat(keys.of(group).holder()).isEqualTo("pg1");

        etcd.getLeaseClient().revoke(lease).get(5, TimeUnit.SECONDS);
        Await.until("gone once the lease ended", Duration.ofSeconds(10), () -> keys.of(group).holder() == null);
        assertThat(keys.of(group).cause()).contains("lease has ended");
    }

    @Test
    void aKeyWhoseLeaseEndsIsGoneAtOnce() throws Exception {
        GroupId group = new GroupId("expired", 0);
        long lease = heldByPg1(group, ByteSequence.from("/service/expired/0/leader", StandardCharsets.UTF_8));

        etcd.getLeaseClient().revoke(lease).get(5, TimeUnit.SECONDS);

        Await.until("gone", Duration.ofSeconds(5), () -> keys.of(group).holder() == null);
        assertThat(keys.of(group).cause()).startsWith("gone");
    }

    /** Puts {@code key} for pg1 on a new lease, as an agent takes it, and waits until the view says so. */
    private static long heldByPg1(GroupId group, ByteSequence key) throws Exception {
        long lease = etcd.getLeaseClient().grant(30).get(5, TimeUnit.SECONDS).getID();
        etcd.getKVClient().put(key, ByteSequence.from("pg1", StandardCharsets.UTF_8),
                PutOption.builder().withLeaseId(lease).build()).get(5, TimeUnit.SECONDS);
        Await.until("pg1 holds the key", Duration.ofSeconds(10), () -> "pg1".equals(keys.of(group).holder()));
        return lease;
    }
}
