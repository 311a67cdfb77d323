package io.steward.decider.leadership;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.election.CampaignResponse;
import io.etcd.jetcd.election.LeaderKey;

/**
 * Which decision-service instance may write: the one that won etcd's election, for as long as it
 * is sure of its lease. The epoch is the revision of the winning election key, so a later leader
 * always has a higher epoch.
 *
 * <p>Sure means: the last successful keep-alive was <em>sent</em> less than
 * {@code ttl − safety_margin} ago. etcd cannot expire the lease earlier than {@code ttl} after it
 * received that keep-alive, which is later than it was sent; so an instance that stops writing at
 * its deadline has stopped before another instance can be elected. When the deadline passes, the
 * instance is no longer leader at once ({@link #status()}), gives its lease up, and campaigns again.
 *
 * <p>One thread of its own campaigns and renews. Thread-safe.
 */
public final class Leadership implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);

    /** What the instance may do now. */
    public record Status(boolean leader, long epoch, long validUntilNanos) {
        static final Status STANDBY = new Status(false, 0, 0);

        /** Leader, and sure of its lease for at least {@code margin} more. */
        public boolean mayWrite(Duration margin) {
            return leader && System.nanoTime() + margin.toNanos() < validUntilNanos;
        }
    }

    private final Client etcd;
    private final java.util.function.BooleanSupplier mayLead;
    private final ByteSequence election;
    private final ByteSequence proposal;
    private final Duration ttl;
    private final Duration margin;
    private final Thread thread;
    private volatile Status status = Status.STANDBY;
    private volatile boolean running = true;
    private volatile long leaseId;

    public Leadership(Client etcd, String election, String instance, Duration ttl, Duration margin) {
        this(etcd, election, instance, ttl, margin, () -> true);
    }

    /**
     * @param mayLead whether this instance can do a leader's work now (its decision loop makes
     *                progress and can write): it campaigns only then, and a leader that no longer
     *                can resigns at once, so that a standby that can takes over
     */
    public Leadership(Client etcd, String election, String instance, Duration ttl, Duration margin,
                      java.util.function.BooleanSupplier mayLead) {
        this.etcd = etcd;
        this.mayLead = mayLead;
        this.election = ByteSequence.from(election, StandardCharsets.UTF_8);
        this.proposal = ByteSequence.from(instance, StandardCharsets.UTF_8);
        this.ttl = ttl;
        this.margin = margin;
        this.thread = new Thread(this::run, "leadership");
        thread.setDaemon(true);
    }

    /** Starts campaigning; later calls do nothing. */
    public synchronized void start() {
        if (thread.getState() == Thread.State.NEW) {
            thread.start();
        }
    }

    public Status status() {
        return status;
    }

    private void run() {
        while (running) {
            try {
                campaignAndHold();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException | ExecutionException | TimeoutException e) {
                LOG.warn("leadership: {}; trying again", describe(e));
            }
            status = Status.STANDBY;
            giveUpLease();
            sleep(500);
        }
    }

    private void campaignAndHold() throws InterruptedException, ExecutionException, TimeoutException {
        while (running && !mayLead.getAsBoolean()) {
            sleep(100); // a stalled instance does not campaign: it would only resign again
        }
        Duration requestTimeout = requestTimeout();
        long sent = System.nanoTime();
        var grant = etcd.getLeaseClient().grant(ttl.toSeconds()).get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
        leaseId = grant.getID();
        long deadline = sent + Duration.ofSeconds(grant.getTTL()).minus(margin).toNanos();
        LOG.info("campaigning in {} with lease {}", election.toString(StandardCharsets.UTF_8), Long.toHexString(leaseId));
        CompletableFuture<CampaignResponse> campaign = etcd.getElectionClient().campaign(election, leaseId, proposal);
        long nextRenewal = System.nanoTime();
        while (!campaign.isDone()) {
            if (System.nanoTime() >= nextRenewal) {
                deadline = renew(deadline);
                nextRenewal = System.nanoTime() + renewInterval().toNanos();
            }
            if (System.nanoTime() >= deadline) {
                campaign.cancel(true);
                throw new IllegalStateException("the campaign lease could not be kept alive");
            }
            sleep(20);
        }
        LeaderKey key = campaign.get().getLeader();
        long epoch = key.getRevision();
        status = new Status(true, epoch, deadline);
        LOG.info("elected: epoch {}", epoch);
        while (running) {
            if (System.nanoTime() >= nextRenewal) {
                deadline = renew(deadline);
                status = new Status(true, epoch, deadline);
                nextRenewal = System.nanoTime() + renewInterval().toNanos();
            }
            boolean stalled = !mayLead.getAsBoolean();
            if (System.nanoTime() >= deadline || stalled) {
                status = Status.STANDBY;
                if (stalled) {
                    LOG.error("resigning the leadership: this instance's decision loop gets no work done (nothing written "
                            + "or read back for three lease ttls); a standby takes over");
                } else {
                    LOG.error("leadership lost: the lease was not renewed for {} ms; no longer writing",
                            Duration.ofNanos(System.nanoTime() - deadline).plus(ttl).minus(margin).toMillis());
                }
                try {
                    etcd.getElectionClient().resign(key).get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException | TimeoutException e) {
                    LOG.debug("resign: {}", describe(e));
                }
                return;
            }
            sleep(20);
        }
    }

    /** One keep-alive; returns the new deadline, or the old one when the renewal failed. */
    private long renew(long deadline) {
        long sent = System.nanoTime();
        try {
            var response = etcd.getLeaseClient().keepAliveOnce(leaseId)
                    .get(requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
            if (response.getTTL() <= 0) {
                return deadline;
            }
            return sent + Duration.ofSeconds(response.getTTL()).minus(margin).toNanos();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return deadline;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.warn("could not renew the leadership lease: {}", describe(e));
            return deadline;
        }
    }

    /** Revokes the lease (the election key goes with it) when etcd answers; else it expires. */
    private void giveUpLease() {
        long id = leaseId;
        leaseId = 0;
        if (id != 0) {
            try {
                etcd.getLeaseClient().revoke(id).get(requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException | RuntimeException e) {
                LOG.debug("revoke: {}", describe(e));
            }
        }
    }

    private Duration renewInterval() {
        return Duration.ofMillis(Math.max(250, ttl.toMillis() / 4));
    }

    private Duration requestTimeout() {
        return Duration.ofMillis(Math.max(300, ttl.toMillis() / 4));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String describe(Exception e) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    /** Steps down: no more writes, the lease revoked so a standby is elected at once. */
    @Override
    public void close() {
        running = false;
        status = Status.STANDBY;
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        giveUpLease();
    }
}
