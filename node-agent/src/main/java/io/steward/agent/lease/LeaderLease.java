package io.steward.agent.lease;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;

/**
 * The group's leader key in etcd, held by the primary's agent on a lease it keeps alive.
 *
 * <p>Fencing: the lease can expire in etcd no sooner than {@code ttl} after the <em>send</em> time
 * of its last successful renewal (etcd counts from when it received it, which is later). So a
 * primary that stops accepting writes at {@code send + ttl − safety_margin} has stopped before
 * anyone else can take the key. The agent fences at that instant ({@link Fencing}); the watchdog
 * process that is the postmaster's parent does too, a moment later, even if the agent is frozen.
 *
 * <p>Renewals run on their own thread every {@code ttl / 4}; a renewal that does not answer in
 * time counts as failed.
 *
 * <p>While this member is not the leader it keeps a spare lease granted and renewed, as Patroni
 * keeps one lease per member: taking the leader key is then one etcd write (the txn) instead of
 * two (a grant, then the txn), each of which etcd syncs to disk. Promotion waits on it, and with a
 * Citus worker, clients through the coordinator wait on the promotion. The spare's renewals carry
 * the same guarantee as the leader lease's, so the fencing deadline of a key taken on it counts
 * from its last renewal.
 *
 * <p>The key itself is guarded while held: every renewal also reads it, and a watch on it reports
 * each change at once. A key deleted by hand (or by any client) is taken back at once on the same,
 * still valid lease, so nobody else can take it meanwhile and nothing fails over; a key that names
 * another member or another lease means someone else leads, and the fence fires at once rather
 * than at the deadline. Held means: the key names this member and carries this lease.
 * Thread-safe.
 */
public final class LeaderLease implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LeaderLease.class);

    private final Client etcd;
    private final ByteSequence key;
    private final ByteSequence member;
    private final Path leaseFile;
    private final Fencing fencing;
    private final LongConsumer watchdog;
    private final ScheduledExecutorService renewals = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "lease-renewal");
        thread.setDaemon(true);
        return thread;
    });
    private final ScheduledExecutorService keyGuard = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "leader-key-guard");
        thread.setDaemon(true);
        return thread;
    });
    private volatile Duration ttl;
    private volatile LeaseTiming timing;
    private volatile Watch.Watcher keyWatch;
    private long leaseId;
    /** The etcd revision at which this member last put the key (took it, or took it back). */
    private long heldSince;
    private Spare spare;
    private boolean closed;

    /** A lease kept ready for taking the leader key, with its last successful grant or renewal. */
    private record Spare(long id, long sentNanos, long sentUptime, long grantedSeconds) {
    }

    /**
     * @param key       the leader key, {@code <namespace><scope>/<group>/leader}
     * @param leaseFile where the lease id is kept, so a restarted agent can keep renewing it
     * @param watchdog  receives the watchdog deadline (hundredths of a second on /proc/uptime), 0 to disarm
     */
    public LeaderLease(Client etcd, String key, String member, Duration ttl, Duration margin, Path leaseFile,
                       Fencing fencing, LongConsumer watchdog) {
        this.etcd = etcd;
        this.key = bytes(key);
        this.member = bytes(member);
        this.ttl = ttl;
        this.timing = new LeaseTiming(margin);
        this.leaseFile = leaseFile;
        this.fencing = fencing;
        this.watchdog = watchdog;
        renewals.scheduleWithFixedDelay(this::renewQuietly, 0, 50, TimeUnit.MILLISECONDS);
        warmUp();
        watchKey();
    }

    /**
     * jetcd sets up its lease service on first use, which costs a second or more; and the first
     * txn of a process loads and links its classes, which costs a few hundred milliseconds. A
     * promotion should pay for neither. Two cheap calls now do both in advance: the time to live of
     * lease 0 (which never exists), and a read-only txn on the leader key (etcd answers it without
     * a write), built as the real one is.
     */
    private void warmUp() {
        etcd.getLeaseClient().timeToLive(0, io.etcd.jetcd.options.LeaseOption.DEFAULT).whenComplete((answer, error) -> {
            if (error != null) {
                LOG.debug("lease service warm-up: {}", error.getMessage());
            }
        });
        Op unsent = Op.put(key, member, PutOption.builder().withLeaseId(0).build());
        etcd.getKVClient().txn()
                .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                .Then(Op.get(key, io.etcd.jetcd.options.GetOption.DEFAULT))
                .Else(Op.get(key, io.etcd.jetcd.options.GetOption.DEFAULT))
                .commit().whenComplete((answer, error) -> {
                    if (error != null) {
                        LOG.debug("txn warm-up ({}): {}", unsent.getClass().getSimpleName(), error.getMessage());
                    }
                });
    }

    /** New timing from the dynamic configuration; takes effect at the next acquisition or renewal. */
    public void retime(Duration newTtl, Duration newMargin) {
        this.ttl = newTtl;
        this.timing = new LeaseTiming(newMargin);
    }

    public synchronized boolean isHeld() {
        return leaseId != 0 && fencing.isWithinDeadline();
    }

    /** The spare lease's id, 0 when there is none (for tests). */
    synchronized long spareLeaseId() {
        return spare == null ? 0 : spare.id();
    }

    /** Who holds the leader key now, or null; throws when etcd does not answer in time. */
    public String holder() {
        KeyValue kv = readKey();
        return kv == null ? null : kv.getValue().toString(StandardCharsets.UTF_8);
    }

    /** The leader key as etcd has it now, or null when there is none; throws when etcd does not answer in time. */
    private KeyValue readKey() {
        try {
            GetResponse response = etcd.getKVClient().get(key).get(requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
            return response.getKvs().isEmpty() ? null : response.getKvs().get(0);
        } catch (Exception e) {
            throw new LeaseException("cannot read the leader key: " + describe(e), e);
        }
    }

    /**
     * Takes the leader key, waiting up to {@code patience} for its holder to release it: polls who
     * holds it (a read; a txn would be a write each time) and tries again once it is free.
     */
    public boolean acquire(Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        boolean taken = acquire();
        while (!taken && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            if (holder() == null) {
                taken = acquire();
            }
        }
        return taken;
    }

    /**
     * Takes the leader key if nobody holds it (or this member already does). Returns false when
     * another member holds it.
     */
    public synchronized boolean acquire() {
        if (isHeld()) {
            return true;
        }
        Spare ready = spare;
        if (ready != null && ready.grantedSeconds() == ttlSeconds()) {
            spare = null;
            Boolean taken = acquireOn(ready);
            if (taken != null) {
                return taken;
            }
        }
        long sent = System.nanoTime();
        long sentUptime = Uptime.hundredths();
        try {
            var grant = etcd.getLeaseClient().grant(ttlSeconds())
                    .get(acquireTimeout().toMillis(), TimeUnit.MILLISECONDS);
            long id = grant.getID();
            long granted = System.nanoTime();
            TxnResponse txn;
            try {
                txn = putIfFree(id);
            } catch (Exception e) {
                revokeQuietly(id); // it may have put the key on this lease: nobody would renew or fence it
                throw e;
            }
            if (!txn.isSucceeded()) {
                etcd.getLeaseClient().revoke(id);
                String current = holder();
                if (member.toString(StandardCharsets.UTF_8).equals(current)) {
                    LOG.warn("the leader key names this member but under another lease; it expires by itself");
                }
                return false;
            }
            hold(id, txn.getHeader().getRevision(), sent, sentUptime, grant.getTTL(), "grant "
                    + (granted - sent) / 1_000_000 + " ms, txn " + (System.nanoTime() - granted) / 1_000_000 + " ms");
            return true;
        } catch (LeaseException e) {
            throw e;
        } catch (Exception e) {
            throw new LeaseException("cannot take the leader lease: " + describe(e), e);
        }
    }

    /**
     * Takes the leader key on the spare lease: one txn. Returns null when the spare is gone in etcd
     * (then a new lease is granted as usual); false when another member holds the key (the spare is
     * kept).
     */
    private Boolean acquireOn(Spare ready) {
        long started = System.nanoTime();
        long takenAt;
        try {
            TxnResponse txn = putIfFree(ready.id());
            if (!txn.isSucceeded()) {
                spare = ready;
                return false;
            }
            takenAt = txn.getHeader().getRevision();
        } catch (Exception e) {
            if (isLeaseGone(e)) {
                LOG.info("the spare lease is gone in etcd; granting a new one");
                return null;
            }
            // The txn may or may not have put the key on the spare: never renew that lease again
            // (a key renewed as a spare would name this member with nobody fencing it). Revoked,
            // the key goes at once if it was put; a new spare is granted.
            revokeQuietly(ready.id());
            throw new LeaseException("cannot take the leader lease: " + describe(e), e);
        }
        hold(ready.id(), takenAt, ready.sentNanos(), ready.sentUptime(), ready.grantedSeconds(),
                "kept ready, txn " + (System.nanoTime() - started) / 1_000_000 + " ms");
        return true;
    }

    /**
     * Holds the leader key on lease {@code id}, whose last grant or renewal was sent at {@code sent}
     * and bought {@code grantedSeconds}: arms both fences from then. When little of that period is
     * left (etcd answered slowly), renews first, and releases the key if that fails.
     */
    private void hold(long id, long takenAt, long sent, long sentUptime, long grantedSeconds, String how) {
        long since = System.nanoTime() - sent;
        if (since > timing.allowedFor(grantedSeconds).toNanos() / 2) {
            LOG.warn("the leader lease's last grant or renewal was sent {} ms ago; renewing it before use",
                    since / 1_000_000);
            sent = System.nanoTime();
            sentUptime = Uptime.hundredths();
            grantedSeconds = renewOnceOrRevoke(id);
        }
        leaseId = id;
        heldSince = takenAt;
        persist(id);
        renewed(sent, sentUptime, grantedSeconds);
        nextRenewal = sent + renewInterval().toNanos();
        LOG.info("took the leader lease {} (ttl {} s; {})", Long.toHexString(id), grantedSeconds, how);
    }

    /** The one write that takes the leader key: put it on {@code leaseId} if nobody holds it. */
    private TxnResponse putIfFree(long leaseId) throws Exception {
        return putIfFree(leaseId, acquireTimeout());
    }

    private TxnResponse putIfFree(long leaseId, Duration timeout) throws Exception {
        return etcd.getKVClient().txn()
                .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                .Then(Op.put(key, member, PutOption.builder().withLeaseId(leaseId).build()))
                .Else(Op.get(key, io.etcd.jetcd.options.GetOption.DEFAULT))
                .commit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One renewal right after a slow grant; the lease is revoked (the key goes) when it fails. */
    private long renewOnceOrRevoke(long id) {
        try {
            long granted = etcd.getLeaseClient().keepAliveOnce(id)
                    .get(requestTimeout().toMillis(), TimeUnit.MILLISECONDS).getTTL();
            if (granted > 0) {
                return granted;
            }
        } catch (Exception e) {
            LOG.warn("could not renew the new leader lease: {}", describe(e));
        }
        etcd.getLeaseClient().revoke(id);
        throw new LeaseException("the leader lease could not be renewed after a slow grant; released it", null);
    }

    /** Keeps renewing a lease a previous incarnation of the agent took; false when it is gone. */
    public synchronized boolean adopt() {
        long id = readPersisted();
        if (id == 0) {
            return false;
        }
        long sent = System.nanoTime();
        long sentUptime = Uptime.hundredths();
        try {
            var response = etcd.getLeaseClient().keepAliveOnce(id).get(requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
            KeyValue kv = readKey();
            if (response.getTTL() <= 0 || !isOurs(kv, id)) {
                return false;
            }
            leaseId = id;
            heldSince = kv.getModRevision();
            renewed(sent, sentUptime, response.getTTL());
            LOG.info("kept the leader lease {} of the previous agent", Long.toHexString(id));
            return true;
        } catch (Exception e) {
            LOG.info("the previous agent's lease is gone: {}", describe(e));
            return false;
        }
    }

    /** Revokes the lease: the leader key disappears at once. */
    public synchronized void release() {
        long id = leaseId;
        leaseId = 0;
        fencing.clear();
        watchdog.accept(0);
        persist(0);
        if (id != 0) {
            try {
                etcd.getLeaseClient().revoke(id).get(requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
                LOG.info("released the leader lease {}", Long.toHexString(id));
            } catch (Exception e) {
                LOG.warn("could not revoke the leader lease (it expires within {} s): {}", ttl.toSeconds(), describe(e));
            }
        }
    }

    /**
     * Forgets the lease without revoking it (after fencing: it is expiring anyway), and clears the
     * watchdog's deadline: PostgreSQL has stopped, and the passed deadline must not kill the next
     * start (the replica this member comes back as). Under this lease's lock, so a lease taken
     * meanwhile keeps the deadline it set.
     */
    public synchronized void forget() {
        leaseId = 0;
        persist(0);
        fencing.clear();
        watchdog.accept(0);
    }

    private void renewQuietly() {
        try {
            renewIfDue();
        } catch (RuntimeException e) {
            LOG.warn("lease renewal failed: {}", e.getMessage());
        }
        try {
            keepSpare();
        } catch (RuntimeException e) {
            LOG.debug("spare lease: {}", e.getMessage());
        }
    }

    private long nextSpareRenewal;

    /**
     * Grants the spare lease when there is none (or its TTL is no longer the configured one) and
     * renews it when due, while this member does not hold the leader key. Network calls are made
     * outside the lock; the outcome is kept only if nothing changed meanwhile.
     */
    private void keepSpare() {
        Spare current;
        long wantedSeconds = ttlSeconds();
        synchronized (this) {
            if (closed || leaseId != 0) {
                if (spare != null) { // the leader needs none: its own lease is the one renewed
                    revokeQuietly(spare.id());
                    spare = null;
                }
                return;
            }
            current = spare;
            if (current != null && current.grantedSeconds() != wantedSeconds) {
                revokeQuietly(current.id());
                spare = null;
                current = null;
            }
            if (current != null && System.nanoTime() < nextSpareRenewal) {
                return;
            }
            nextSpareRenewal = System.nanoTime() + renewInterval().toNanos();
        }
        long sent = System.nanoTime();
        long sentUptime = Uptime.hundredths();
        try {
            if (current == null) {
                var grant = etcd.getLeaseClient().grant(wantedSeconds)
                        .get(requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
                synchronized (this) {
                    if (closed || leaseId != 0 || spare != null) {
                        revokeQuietly(grant.getID());
                    } else {
                        spare = new Spare(grant.getID(), sent, sentUptime, grant.getTTL());
                    }
                }
                return;
            }
            long granted = etcd.getLeaseClient().keepAliveOnce(current.id())
                    .get(requestTimeout().toMillis(), TimeUnit.MILLISECONDS).getTTL();
            synchronized (this) {
                if (spare != null && spare.id() == current.id()) {
                    spare = granted > 0 ? new Spare(current.id(), sent, sentUptime, granted) : null;
                }
            }
        } catch (Exception e) {
            LOG.debug("could not keep the spare lease: {}", describe(e));
            synchronized (this) {
                if (spare != null && current != null && spare.id() == current.id() && isLeaseGone(e)) {
                    spare = null;
                }
            }
        }
    }

    /** Whether etcd answered that the lease does not exist (expired, or revoked). */
    private static boolean isLeaseGone(Exception e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        return String.valueOf(cause.getMessage()).contains("lease not found");
    }

    private void revokeQuietly(long id) {
        etcd.getLeaseClient().revoke(id).whenComplete((answer, error) -> {
            if (error != null) {
                LOG.debug("could not revoke lease {}: {}", Long.toHexString(id), error.getMessage());
            }
        });
    }

    private long nextRenewal;

    private void renewIfDue() {
        long id;
        synchronized (this) {
            id = leaseId;
            if (id == 0 || System.nanoTime() < nextRenewal) {
                return;
            }
            nextRenewal = System.nanoTime() + renewInterval().toNanos();
        }
        long sent = System.nanoTime();
        long sentUptime = Uptime.hundredths();
        // the key is read with every renewal, at the same time: a key changed behind this agent's
        // back is noticed within a renewal interval even if the watch missed it
        var key = etcd.getKVClient().get(this.key);
        try {
            var response = etcd.getLeaseClient().keepAliveOnce(id).get(requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
            synchronized (this) {
                if (leaseId == id && response.getTTL() > 0) {
                    renewed(sent, sentUptime, response.getTTL());
                } else if (leaseId == id) {
                    leaseGone("etcd answered the renewal with a TTL of " + response.getTTL());
                    return;
                }
            }
        } catch (Exception e) {
            if (isLeaseGone(e)) {
                synchronized (this) {
                    if (leaseId == id) {
                        leaseGone("etcd no longer knows it");
                    }
                }
                return;
            }
            LOG.warn("could not renew the leader lease ({} left before fencing): {}", fencing.remaining(), describe(e));
            return;
        }
        try {
            GetResponse read = key.get(requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
            guard(read.getKvs().isEmpty() ? null : read.getKvs().get(0), id, "renewal");
        } catch (Exception e) {
            LOG.debug("could not read the leader key with the renewal: {}", describe(e));
        }
    }

    // ---- guarding the key -------------------------------------------------------------------

    /** Whether {@code kv} is the leader key as this member holds it on lease {@code id}. */
    private boolean isOurs(KeyValue kv, long id) {
        return kv != null && kv.getLease() == id && kv.getValue().equals(member);
    }

    /**
     * Watches the leader key for this agent's life: a deletion is taken back and a foreign holder
     * fenced at once, not at the next renewal. jetcd resumes the watch after a broken connection;
     * a watch that fails for good is started again by the next renewal's read (which guards the
     * key meanwhile).
     */
    private void watchKey() {
        try {
            keyWatch = etcd.getWatchClient().watch(key, WatchOption.DEFAULT, Watch.listener(response -> {
                for (WatchEvent event : response.getEvents()) {
                    KeyValue kv = event.getEventType() == WatchEvent.EventType.DELETE ? null : event.getKeyValue();
                    long revision = event.getKeyValue().getModRevision();
                    keyGuard.execute(() -> guardChange(kv, revision));
                }
            }, error -> {
                LOG.warn("the watch on the leader key failed ({}); renewals keep guarding it", error.getMessage());
                keyWatch = null;
            }));
        } catch (RuntimeException e) {
            LOG.warn("cannot watch the leader key: {}", e.getMessage());
        }
    }

    /**
     * A change of the key the watch reported, made at {@code revision}: guarded unless it is older
     * than this member's own put of the key (a watch that resumed after a broken connection replays
     * changes, and another member's put from before this member took the key is no news).
     */
    private void guardChange(KeyValue kv, long revision) {
        long id;
        synchronized (this) {
            if (leaseId == 0 || revision < heldSince) {
                return;
            }
            id = leaseId;
        }
        guard(kv, id, "watch");
    }

    /**
     * What to do about the leader key as last seen ({@code kv}, null when absent) while this member
     * holds lease {@code id}: nothing when it is ours; take it back when it is gone and the lease
     * still valid; fence at once when someone else holds it.
     */
    private void guard(KeyValue kv, long id, String seenBy) {
        if (keyWatch == null && !closedOrReleased()) {
            watchKey();
        }
        synchronized (this) {
            if (leaseId != id || isOurs(kv, id)) {
                return;
            }
            if (kv != null) {
                foreignHolder(kv, seenBy);
                return;
            }
            if (!fencing.isWithinDeadline()) {
                return; // the fence is about to fire anyway
            }
            try {
                TxnResponse txn = putIfFree(id, requestTimeout());
                if (txn.isSucceeded()) {
                    heldSince = txn.getHeader().getRevision();
                    LOG.warn("the leader key was deleted (seen by the {}); taken back at once on lease {}, which is "
                            + "still valid", seenBy, Long.toHexString(id));
                    return;
                }
                KeyValue now = txn.getGetResponses().isEmpty() || txn.getGetResponses().get(0).getKvs().isEmpty()
                        ? null : txn.getGetResponses().get(0).getKvs().get(0);
                if (now != null && !isOurs(now, id)) {
                    foreignHolder(now, seenBy);
                }
            } catch (Exception e) {
                if (isLeaseGone(e)) {
                    leaseGone("the leader key was deleted with it");
                    return;
                }
                // Unknown whether etcd put it: the next renewal's read or the watch says; until
                // then nobody else can take a key that may exist, and the lease keeps fencing.
                LOG.warn("the leader key was deleted and could not be taken back yet: {}", describe(e));
            }
        }
    }

    /** Another member (or another lease) holds the key: this one must not write another moment. */
    private void foreignHolder(KeyValue kv, String seenBy) {
        String holder = kv.getValue().toString(StandardCharsets.UTF_8);
        fenceNow("the leader key now names " + holder + " on lease " + Long.toHexString(kv.getLease())
                + " (seen by the " + seenBy + "), not this member on lease " + Long.toHexString(leaseId));
    }

    /**
     * The held lease no longer exists in etcd (revoked by someone else): the key went with it, and
     * the decider may learn so before this member's deadline. Waiting for that deadline would leave
     * a writable primary without a key: fence at once.
     */
    private void leaseGone(String how) {
        fenceNow("the leader lease " + Long.toHexString(leaseId) + " is gone: " + how);
    }

    /** Fences now: forgets the lease (no renewal may move the deadline any more) and fires the fence. */
    private void fenceNow(String reason) {
        LOG.error("{}: fencing at once", reason);
        leaseId = 0;
        persist(0);
        fencing.fenceNow(reason);
    }

    private synchronized boolean closedOrReleased() {
        return closed || leaseId == 0;
    }

    /**
     * Called with the send time of a successful grant or renewal and the TTL etcd answered with
     * (the one it enforces): pushes both fencing deadlines out.
     */
    private void renewed(long sentNanos, long sentUptime, long grantedSeconds) {
        Duration ttl = Duration.ofSeconds(grantedSeconds);
        Duration allowed = timing.allowedFor(grantedSeconds);
        fencing.renewedAt(sentNanos, allowed);
        watchdog.accept(timing.watchdogDeadline(sentUptime, grantedSeconds));
        if (LOG.isDebugEnabled()) {
            long sentWallMillis = System.currentTimeMillis() - (System.nanoTime() - sentNanos) / 1_000_000;
            LOG.debug("lease {} renewed: sent at {} ms, cannot expire before {} ms, writes allowed until {} ms",
                    Long.toHexString(leaseId), sentWallMillis, sentWallMillis + ttl.toMillis(),
                    sentWallMillis + allowed.toMillis());
        }
    }

    private long ttlSeconds() {
        return LeaseTiming.ttlSeconds(ttl);
    }

    private Duration renewInterval() {
        return LeaseTiming.renewInterval(ttl);
    }

    private Duration acquireTimeout() {
        return LeaseTiming.acquireTimeout(ttl);
    }

    private Duration requestTimeout() {
        return LeaseTiming.requestTimeout(ttl);
    }

    private void persist(long id) {
        try {
            Files.writeString(leaseFile, Long.toString(id), StandardCharsets.UTF_8);
        } catch (IOException e) {
            LOG.warn("cannot record the lease id in {}: {}", leaseFile, e.getMessage());
        }
    }

    private long readPersisted() {
        try {
            return Files.exists(leaseFile) ? Long.parseLong(Files.readString(leaseFile).strip()) : 0;
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    private static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }

    private static String describe(Exception e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    @Override
    public void close() {
        renewals.shutdownNow();
        keyGuard.shutdownNow();
        Watch.Watcher watch = keyWatch;
        if (watch != null) {
            keyWatch = null;
            watch.close();
        }
        synchronized (this) {
            closed = true;
            if (spare != null) {
                revokeQuietly(spare.id());
                spare = null;
            }
        }
    }
}
