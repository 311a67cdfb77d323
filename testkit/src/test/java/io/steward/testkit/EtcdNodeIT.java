package io.steward.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.election.CampaignResponse;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.support.CloseableClient;
import io.grpc.stub.StreamObserver;
import io.steward.testkit.etcd.EtcdNode;

class EtcdNodeIT {

    @RegisterExtension
    static final Testbed testbed = new Testbed();

    private EtcdNode etcd;
    private Client client;

    @BeforeEach
    void startEtcd() {
        etcd = testbed.etcd().start();
        client = Client.builder().endpoints(etcd.endpoint()).build();
    }

    @AfterEach
    void closeClient() {
        client.close();
    }

    @Test
    void leasedKeyLivesWhileKeptAliveAndDisappearsAfterKeepAliveStops() throws Exception {
        long lease = client.getLeaseClient().grant(2).get(5, TimeUnit.SECONDS).getID();
        ByteSequence key = bytes("/steward/smoke/leader");
        client.getKVClient().put(key, bytes("pg1"), PutOption.builder().withLeaseId(lease).build()).get();

        CloseableClient keepAlive = client.getLeaseClient().keepAlive(lease, ignoring());
        pause(Duration.ofMillis(4500)); // more than twice the TTL
        assertThat(exists(key)).as("key kept alive past its TTL").isTrue();

        keepAlive.close();
        long stopped = System.nanoTime();
        Await.until("leased key to expire", Duration.ofSeconds(10), () -> !exists(key));
        assertThat(Duration.ofNanos(System.nanoTime() - stopped)).isLessThan(Timing.seconds(5));
    }

    @Test
    void electionPassesToSecondCandidateWhenFirstLeaseEnds() throws Exception {
        ByteSequence election = bytes("/steward/smoke/decider");
        long leaseA = client.getLeaseClient().grant(2).get().getID();
        long leaseB = client.getLeaseClient().grant(2).get().getID();
        CloseableClient keepAliveA = client.getLeaseClient().keepAlive(leaseA, ignoring());
        CloseableClient keepAliveB = client.getLeaseClient().keepAlive(leaseB, ignoring());

        client.getElectionClient().campaign(election, leaseA, bytes("decider-a")).get(5, TimeUnit.SECONDS);
        CompletableFuture<CampaignResponse> campaignB =
                client.getElectionClient().campaign(election, leaseB, bytes("decider-b"));
        assertThat(leader(election)).isEqualTo("decider-a");
        pause(Duration.ofMillis(500));
        assertThat(campaignB).as("b waits while a holds the election").isNotDone();

        keepAliveA.close();
        CampaignResponse won = campaignB.get(Timing.seconds(10).toMillis(), TimeUnit.MILLISECONDS);
        assertThat(won.getLeader().getName().toString(StandardCharsets.UTF_8)).isEqualTo(election.toString(StandardCharsets.UTF_8));
        assertThat(leader(election)).isEqualTo("decider-b");
        assertThat(won.getLeader().getRevision()).as("the new leader's key is newer").isPositive();
        keepAliveB.close();
    }

    @Test
    void frozenEtcdAnswersNothingUntilThawedAndRestartKeepsData() throws Exception {
        ByteSequence key = bytes("/steward/smoke/config");
        client.getKVClient().put(key, bytes("v1")).get();

        etcd.freeze();
        CompletableFuture<?> read = client.getKVClient().get(key);
        pause(Duration.ofMillis(700));
        assertThat(read).as("a read against a frozen etcd").isNotDone();
        etcd.thaw();
        read.get(Timing.seconds(10).toMillis(), TimeUnit.MILLISECONDS);

        etcd.restart();
        Await.until("value after restart", Duration.ofSeconds(10), () -> exists(key));
    }

    private boolean exists(ByteSequence key) {
        try {
            return client.getKVClient().get(key).get(2, TimeUnit.SECONDS).getCount() > 0;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private String leader(ByteSequence election) throws Exception {
        return client.getElectionClient().leader(election).get(5, TimeUnit.SECONDS).getKv().getValue()
                .toString(StandardCharsets.UTF_8);
    }

    private static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }

    private static StreamObserver<LeaseKeepAliveResponse> ignoring() {
        return new StreamObserver<>() {
            @Override
            public void onNext(LeaseKeepAliveResponse value) {
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
            }
        };
    }

    /** A deliberate pause, scaled like every other wait. */
    private static void pause(Duration duration) {
        Await.sleep(Timing.scaled(duration));
    }
}
