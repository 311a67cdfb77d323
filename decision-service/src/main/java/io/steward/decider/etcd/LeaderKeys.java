package io.steward.decider.etcd;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.LeaseOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import io.steward.core.model.GroupId;

/**
 * The members' leader keys in etcd ({@code <namespace><scope>/<group>/leader}), as this instance
 * last saw them: a watch delivers changes at once, and a full read every few seconds heals anything
 * a broken watch missed. Each observation carries the etcd revision it was made at, and an older
 * one never replaces a newer one.
 *
 * <p>The decider compares this view with the folded state and records each difference as a
 * {@code LeaderLeaseChanged} decision, which is how a lease's expiry reaches the log.
 *
 * <p>A key that disappears while its lease still lives was deleted by a client, not given up by its
 * holder: the holder's agent still renews that lease, keeps its fence armed, and puts the key back
 * at once. Such a key still counts as held by that member until it is back or the lease has
 * ended, so nobody is promoted while the old primary may still accept writes. The lease is looked
 * at again every {@value #DELETED_KEY_RECHECK_MS} ms meanwhile.
 *
 * <p>Thread-safe.
 */
public final class LeaderKeys implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LeaderKeys.class);

    /**
     * A leader key as seen: its holder (null when there is no key), the revision, what happened,
     * and the lease it is (or was, when deleted by hand) attached to, 0 when none.
     */
    public record Observed(String holder, long revision, String cause, long lease) {
        Observed(String holder, long revision, String cause) {
            this(holder, revision, cause, 0);
        }
    }

    static final long DELETED_KEY_RECHECK_MS = 250;

    private final Client etcd;
    private final String namespace;
    private final Pattern keyPattern;
    private final Map<GroupId, Observed> keys = new ConcurrentHashMap<>();
    private final ScheduledExecutorService resync = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "leader-keys");
        thread.setDaemon(true);
        return thread;
    });
    private volatile long syncedRevision;
    private volatile long clusterId;
    /** When the first full read succeeded (System.nanoTime), 0 before. */
    private volatile long firstSyncNanos;
    private volatile Watch.Watcher watcher;

    public LeaderKeys(Client etcd, String namespace) {
        this.etcd = etcd;
        this.namespace = namespace;
        this.keyPattern = Pattern.compile(Pattern.quote(namespace) + "(.+)/(\\d+)/leader");
    }

    /** Reads every key, starts watching, and re-reads every {@code resyncSeconds}. */
    public void start(long resyncSeconds) {
        resync.scheduleWithFixedDelay(this::syncQuietly, 0, resyncSeconds, TimeUnit.SECONDS);
    }

    /**
     * The latest etcd revision this instance has read. Revisions never go back in one etcd cluster,
     * so a revision in the log above it comes from an etcd that was rebuilt since.
     */
    public long currentRevision() {
        return syncedRevision;
    }

    /**
     * Whether this instance has seen the group's key itself (held, or deleted while its lease lived)
     * rather than only never found it: a key absent since this instance's first read may have been
     * deleted before, with its holder's lease still alive.
     */
    public boolean hasSeen(GroupId group) {
        return keys.containsKey(group);
    }

    /** How long ago the first full read (of this etcd cluster, when it was rebuilt) succeeded; zero before it. */
    public java.time.Duration sinceFirstRead() {
        long first = firstSyncNanos;
        return first == 0 ? java.time.Duration.ZERO : java.time.Duration.ofNanos(System.nanoTime() - first);
    }

    /** Whether a full read has succeeded: before it, absence of a key means nothing. */
    public boolean isSynced() {
        return syncedRevision > 0;
    }

    /** The group's leader key as last seen; a group without a key has holder null. */
    public Observed of(GroupId group) {
        Observed observed = keys.get(group);
        return observed != null ? observed : new Observed(null, syncedRevision, "no leader key");
    }

    private void syncQuietly() {
        try {
            sync();
        } catch (Exception e) {
            LOG.warn("cannot read the leader keys under {}: {}", namespace, e.getMessage());
        }
    }

    private void sync() throws Exception {
        ByteSequence prefix = bytes(namespace);
        var response = etcd.getKVClient().get(prefix, GetOption.builder().isPrefix(true).build()).get(5, TimeUnit.SECONDS);
        long revision = response.getHeader().getRevision();
        long cluster = response.getHeader().getClusterId();
        if (revision < syncedRevision || clusterId != 0 && cluster != clusterId) {
            // A rebuilt etcd: revisions never go back in one cluster (and a rebuilt one with the
            // same members keeps its cluster id). Nothing seen in the old one holds any more.
            LOG.warn("etcd was rebuilt (revision {} after {}, cluster {}): forgetting every leader key seen before",
                    revision, syncedRevision, Long.toHexString(cluster));
            keys.clear();
            syncedRevision = 0;
            firstSyncNanos = 0; // a primary's lease gone with the old etcd: its fence may not have fired yet
            Watch.Watcher old = watcher;
            watcher = null; // it waits for revisions of the old cluster: watch again from this one
            if (old != null) {
                old.close();
            }
        }
        clusterId = cluster;
        Set<GroupId> present = new HashSet<>();
        for (KeyValue kv : response.getKvs()) {
            GroupId group = group(kv.getKey());
            if (group != null) {
                present.add(group);
                update(group, new Observed(kv.getValue().toString(StandardCharsets.UTF_8), kv.getModRevision(),
                        "held", kv.getLease()));
            }
        }
        for (Map.Entry<GroupId, Observed> entry : keys.entrySet()) {
            if (!present.contains(entry.getKey()) && entry.getValue().holder() != null
                    && entry.getValue().revision() < revision) {
                absent(entry.getKey(), entry.getValue(), revision);
            }
        }
        boolean first = syncedRevision == 0;
        syncedRevision = Math.max(syncedRevision, revision);
        if (firstSyncNanos == 0) {
            firstSyncNanos = System.nanoTime();
        }
        if (first || watcher == null) {
            watch(revision + 1);
        }
    }

    private void watch(long fromRevision) {
        Watch.Watcher previous = watcher;
        if (previous != null) {
            previous.close();
        }
        WatchOption option = WatchOption.builder().isPrefix(true).withRevision(fromRevision).withPrevKV(true).build();
        watcher = etcd.getWatchClient().watch(bytes(namespace), option, Watch.listener(this::onWatch, error -> {
            LOG.warn("the leader-key watch failed ({}); the next full read restarts it", error.getMessage());
            watcher = null;
        }));
    }

    private void onWatch(WatchResponse response) {
        for (WatchEvent event : response.getEvents()) {
            KeyValue kv = event.getKeyValue();
            GroupId group = group(kv.getKey());
            if (group == null) {
                continue;
            }
            if (event.getEventType() == WatchEvent.EventType.PUT) {
                update(group, new Observed(kv.getValue().toString(StandardCharsets.UTF_8), kv.getModRevision(),
                        kv.getCreateRevision() == kv.getModRevision() ? "acquired" : "held", kv.getLease()));
            } else if (event.getEventType() == WatchEvent.EventType.DELETE) {
                KeyValue previous = event.getPrevKV();
                Observed before = previous == null || previous.getKey().isEmpty() ? keys.get(group)
                        : new Observed(previous.getValue().toString(StandardCharsets.UTF_8), previous.getModRevision(),
                        "held", previous.getLease());
                long revision = kv.getModRevision();
                // asking etcd about the lease is a call: not on the watch's own thread
                resync.execute(() -> absent(group, before, revision));
            }
        }
    }

    /**
     * The group's key is gone at {@code revision}; {@code before} is how it was last seen. While
     * the lease it was on lives, the key still counts as held by the same member (and is looked at
     * again); once the lease has ended, or when nothing is known of it, the key is gone.
     */
    private void absent(GroupId group, Observed before, long revision) {
        if (before == null || before.holder() == null) {
            update(group, new Observed(null, revision, "gone (lease expired or released)"));
            return;
        }
        long remaining = before.lease() == 0 ? -1 : leaseRemainingSeconds(before.lease());
        if (remaining >= 0 || remaining == UNKNOWN) { // etcd rounds down: 0 is a lease with less than a second
            String cause = remaining == UNKNOWN
                    ? "deleted; " + before.holder() + "'s lease could not be looked up, so it counts as held"
                    : "deleted while " + before.holder() + "'s lease " + Long.toHexString(before.lease())
                    + " lives (" + remaining + " s left): " + before.holder() + " takes it back";
            if (update(group, new Observed(before.holder(), revision, cause, before.lease()))) {
                LOG.warn("{}: leader key {}", group, cause);
                resync.schedule(() -> recheck(group, revision), DELETED_KEY_RECHECK_MS, TimeUnit.MILLISECONDS);
            }
            return;
        }
        update(group, new Observed(null, revision, "gone (lease expired or released)"));
    }

    /** Looks at a deleted key's lease again, unless the key has changed since. */
    private void recheck(GroupId group, long deletedAt) {
        Observed current = keys.get(group);
        if (current == null || current.revision() != deletedAt || current.holder() == null) {
            return; // put back (or gone) meanwhile
        }
        absentSince(group, current, deletedAt);
    }

    private void absentSince(GroupId group, Observed deleted, long revision) {
        long remaining = leaseRemainingSeconds(deleted.lease());
        if (remaining >= 0 || remaining == UNKNOWN) {
            resync.schedule(() -> recheck(group, revision), DELETED_KEY_RECHECK_MS, TimeUnit.MILLISECONDS);
            return;
        }
        // the same revision: this replaces the "deleted, lease lives" observation, nothing newer
        keys.computeIfPresent(group, (id, old) -> old.revision() == revision && old.holder() != null
                ? new Observed(null, revision, "gone: deleted, and " + deleted.holder() + "'s lease has ended")
                : old);
    }

    private static final long UNKNOWN = Long.MIN_VALUE;

    /**
     * The whole seconds left on {@code lease} (rounded down by etcd: 0 is a lease with less than a
     * second left), -1 when it has ended, {@link #UNKNOWN} when etcd does not answer.
     */
    private long leaseRemainingSeconds(long lease) {
        try {
            return etcd.getLeaseClient().timeToLive(lease, LeaseOption.DEFAULT).get(2, TimeUnit.SECONDS).getTTL();
        } catch (Exception e) {
            LOG.warn("cannot look up lease {}: {}", Long.toHexString(lease), e.getMessage());
            return UNKNOWN;
        }
    }

    /** Keeps {@code observed} unless a newer revision is known; returns whether it was kept. */
    private boolean update(GroupId group, Observed observed) {
        return keys.merge(group, observed, (old, fresh) -> fresh.revision() >= old.revision() ? fresh : old)
                == observed;
    }

    /** The group a key names, or null for keys that are not leader keys. */
    GroupId group(ByteSequence key) {
        Matcher matcher = keyPattern.matcher(key.toString(StandardCharsets.UTF_8));
        if (!matcher.matches()) {
            return null;
        }
        try {
            return new GroupId(matcher.group(1), Integer.parseInt(matcher.group(2)));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        resync.shutdownNow();
        Watch.Watcher current = watcher;
        if (current != null) {
            current.close();
        }
    }
}
