package io.steward.agent.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.steward.testkit.Await;
import io.steward.testkit.Testbed;
import io.steward.testkit.etcd.EtcdNode;

/**
 * The leader lease against a real etcd: a member that is not the leader keeps a spare lease, takes
 * the key on it in one write, and is fenced from the spare's last renewal; a promotion waits a
 * little for a demoted leader to release the key, and no longer; a spare etcd no longer knows is
 * replaced by a fresh grant.
 */
class LeaderLeaseIT {

    @RegisterExtension
    static final Testbed testbed = new Testbed();

    private static final AtomicLong GROUPS = new AtomicLong();
    private static EtcdNode etcdNode;

    @TempDir
    Path dir;

    /** A leader key of its own for each test. */
    private final String key = "/service/lease-it/" + GROUPS.incrementAndGet() + "/leader";
    private Client etcd;
    private final AtomicLong watchdogA = new AtomicLong();
    private final java.util.List<String> fencedA = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AtomicLong watchdogB = new AtomicLong();
    private Fencing fencingA;
    private Fencing fencingB;
    private LeaderLease a;
    private LeaderLease b;

    @BeforeAll
    static void startEtcd() {
        etcdNode = testbed.etcd().start();
    }

    @BeforeEach
    void start() {
        etcd = Client.builder().endpoints(etcdNode.endpoint()).build();
        fencingA = new Fencing(fencedA::add);
        fencingB = new Fencing(reason -> { });
        a = new LeaderLease(etcd, key, "a", Duration.ofSeconds(4), Duration.ofSeconds(1), dir.resolve("a.lease"),
                fencingA, watchdogA::set);
        b = new LeaderLease(etcd, key, "b", Duration.ofSeconds(4), Duration.ofSeconds(1), dir.resolve("b.lease"),
                fencingB, watchdogB::set);
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
        fencingA.close();
        fencingB.close();
        etcd.close();
    }

    @Test
    void theKeyIsTakenOnTheSpareLeaseAndFencedFromItsLastRenewal() {
        Await.until("both spare leases", Duration.ofSeconds(10), () -> a.spareLeaseId() != 0 && b.spareLeaseId() != 0);
        long spare = a.spareLeaseId();
        long spareOfB = b.spareLeaseId();

        assertThat(a.acquire()).isTrue();

        assertThat(leaseOfKey()).as("the key is on the spare lease").isEqualTo(spare);
        assertThat(a.spareLeaseId()).as("the leader keeps no spare").isZero();
        assertThat(a.isHeld()).isTrue();
        assertThat(fencingA.isWithinDeadline()).as("the agent's fence is armed").isTrue();
        assertThat(watchdogA.get()).as("the watchdog's deadline is set").isPositive();
        assertThat(b.acquire()).as("another member cannot take a held key").isFalse();
        assertThat(b.spareLeaseId()).as("a member that did not get the key keeps its spare").isEqualTo(spareOfB);
    }

    @Test
    void aPromotionWaitsForTheDemotedLeaderToReleaseTheKey() throws Exception {
        assertThat(a.acquire()).isTrue();
        CompletableFuture<Void> demotion = CompletableFuture.runAsync(() -> {
            Await.sleep(Duration.ofMillis(600));
            a.release();
        });
        long start = System.nanoTime();

        assertThat(b.acquire(Duration.ofSeconds(2))).as("taken once a released it").isTrue();

        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(500);
        assertThat(holder()).isEqualTo("b");
        assertThat(a.isHeld()).isFalse();
        demotion.get(5, TimeUnit.SECONDS);
    }

    @Test
    void aPromotionGivesUpWhenTheKeyStaysHeld() {
        assertThat(a.acquire()).isTrue();
        long start = System.nanoTime();

        assertThat(b.acquire(Duration.ofMillis(700))).isFalse();

        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(700);
        assertThat(holder()).isEqualTo("a");
        assertThat(b.isHeld()).isFalse();
        assertThat(fencingB.isWithinDeadline()).as("no fence armed for a key not taken").isFalse();
    }

    @Test
    void aSpareThatEtcdNoLongerKnowsIsReplacedByAFreshGrant() throws Exception {
        Await.until("b's spare lease", Duration.ofSeconds(10), () -> b.spareLeaseId() != 0);
        long spare = b.spareLeaseId();
        etcd.getLeaseClient().revoke(spare).get(5, TimeUnit.SECONDS);

        assertThat(b.acquire()).isTrue();

        assertThat(holder()).isEqualTo("b");
        assertThat(leaseOfKey()).as("a new lease, not the revoked spare").isNotEqualTo(spare).isNotZero();
        assertThat(b.isHeld()).isTrue();
    }

    /**
     * etcd stalls through the txn on the spare: the txn times out, and etcd may still apply it once
     * it runs again. That lease must not be renewed as a spare afterwards (the key would name this
     * member with nobody fencing it): it is revoked, and the key is free within the TTL.
     */
    @Test
    void aTxnThatTimesOutLeavesNoKeyRenewedBehind() {
        Await.until("b's spare lease", Duration.ofSeconds(10), () -> b.spareLeaseId() != 0);
        etcdNode.freeze();
        try {
            assertThatThrownBy(() -> b.acquire()).isInstanceOf(LeaseException.class);
        } finally {
            etcdNode.thaw();
        }
        Await.sleep(Duration.ofSeconds(5)); // longer than the TTL: a key kept alive would still be there

        assertThat(holder()).as("the leader key").isNull();
        assertThat(b.isHeld()).isFalse();
        assertThat(a.acquire()).as("another member takes the key").isTrue();
    }

    /** Deleted by hand (etcdctl del): taken back at once on the same lease; nothing fenced. */
    @Test
    void aDeletedKeyIsTakenBackAtOnceOnTheSameLease() throws Exception {
        assertThat(a.acquire()).isTrue();
        long lease = leaseOfKey();

        long deleted = System.nanoTime();
        etcd.getKVClient().delete(ByteSequence.from(key, StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS);
        Await.until("the key back", Duration.ofSeconds(10), () -> "a".equals(holder()));
        long back = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - deleted);

        System.out.printf("[lease] a deleted leader key was back after %d ms%n", back);
        assertThat(back).as("the watch, not the next renewal (every second), brings it back").isLessThan(900);
        assertThat(leaseOfKey()).as("on the same lease").isEqualTo(lease);
        assertThat(a.isHeld()).isTrue();
        Await.sleep(Duration.ofSeconds(4)); // past the deadline the lease had when the key was deleted
        assertThat(fencedA).as("fenced").isEmpty();
        assertThat(b.acquire()).as("another member still cannot take it").isFalse();
    }

    /** Overwritten with another member's name: the holder fences at once, not at its deadline. */
    @Test
    void aKeyNamingAnotherMemberFencesAtOnce() throws Exception {
        assertThat(a.acquire()).isTrue();

        long overwritten = System.nanoTime();
        etcd.getKVClient().put(ByteSequence.from(key, StandardCharsets.UTF_8),
                ByteSequence.from("b", StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS);
        Await.until("a fenced", Duration.ofSeconds(10), () -> !fencedA.isEmpty());
        long fenced = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - overwritten);

        System.out.printf("[lease] fenced %d ms after the key named another member%n", fenced);
        assertThat(fenced).as("at once: the deadline was 3 s away").isLessThan(900);
        assertThat(fencedA.get(0)).contains("the leader key now names b");
        assertThat(a.isHeld()).isFalse();
        assertThat(holder()).as("the key is not taken back from another member").isEqualTo("b");
    }

    /** The lease revoked by someone else takes the key with it: the holder fences at once. */
    @Test
    void aLeaseRevokedBySomeoneElseFencesAtOnce() throws Exception {
        assertThat(a.acquire()).isTrue();

        long revoked = System.nanoTime();
        etcd.getLeaseClient().revoke(leaseOfKey()).get(5, TimeUnit.SECONDS);
        Await.until("a fenced", Duration.ofSeconds(10), () -> !fencedA.isEmpty());
        long fenced = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - revoked);

        System.out.printf("[lease] fenced %d ms after its lease was revoked%n", fenced);
        assertThat(fenced).as("at once: the deadline was 3 s away").isLessThan(900);
        assertThat(fencedA.get(0)).contains("is gone");
        assertThat(holder()).isNull();
    }

    private String holder() {
        try {
            var kvs = etcd.getKVClient().get(ByteSequence.from(key, StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS).getKvs();
            return kvs.isEmpty() ? null : kvs.get(0).getValue().toString(StandardCharsets.UTF_8);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private long leaseOfKey() {
        try {
            var kvs = etcd.getKVClient().get(ByteSequence.from(key, StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS).getKvs();
            return kvs.isEmpty() ? 0 : kvs.get(0).getLease();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
