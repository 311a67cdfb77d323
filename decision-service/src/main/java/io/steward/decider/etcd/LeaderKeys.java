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
 * <p>Thread-safe.
 */
public final class LeaderKeys implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LeaderKeys.class);

    /** A leader key as seen: its holder (null when there is no key), the revision, and what happened. */
    public record Observed(String holder, long revision, String cause) {
    }

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
        Set<GroupId> present = new HashSet<>();
        for (KeyValue kv : response.getKvs()) {
            GroupId group = group(kv.getKey());
            if (group != null) {
                present.add(group);
                update(group, new Observed(kv.getValue().toString(StandardCharsets.UTF_8), kv.getModRevision(),
                        "held"));
            }
        }
        for (Map.Entry<GroupId, Observed> entry : keys.entrySet()) {
            if (!present.contains(entry.getKey()) && entry.getValue().holder() != null
                    && entry.getValue().revision() < revision) {
                update(entry.getKey(), new Observed(null, revision, "gone (lease expired or released)"));
            }
        }
        boolean first = syncedRevision == 0;
        syncedRevision = Math.max(syncedRevision, revision);
        if (first || watcher == null) {
            watch(revision + 1);
        }
    }

    private void watch(long fromRevision) {
        Watch.Watcher previous = watcher;
        if (previous != null) {
            previous.close();
        }
        WatchOption option = WatchOption.builder().isPrefix(true).withRevision(fromRevision).build();
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
                        kv.getCreateRevision() == kv.getModRevision() ? "acquired" : "held"));
            } else if (event.getEventType() == WatchEvent.EventType.DELETE) {
                update(group, new Observed(null, kv.getModRevision(), "gone (lease expired or released)"));
            }
        }
    }

    private void update(GroupId group, Observed observed) {
        keys.merge(group, observed, (old, fresh) -> fresh.revision() >= old.revision() ? fresh : old);
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
