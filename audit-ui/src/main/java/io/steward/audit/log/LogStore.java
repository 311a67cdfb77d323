package io.steward.audit.log;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import io.steward.core.event.AgentEvent.ClusterInitialized;
import io.steward.core.event.DeciderEvent.ConfigurationChanged;
import io.steward.core.event.DeciderEvent.FailoverDecided;
import io.steward.core.event.DeciderEvent.SwitchoverStarted;
import io.steward.core.event.Event;
import io.steward.core.event.LogRecord;
import io.steward.core.fold.ClusterFold;
import io.steward.core.model.GroupId;
import io.steward.core.state.ClusterState;
import io.steward.events.Decoded;
import io.steward.events.codec.EventCodec;

/**
 * Every record of the log in the order it was read, kept compact enough for millions: per record
 * its position, time, kind, group and member in columns (for filtering without decoding), and its
 * Avro bytes (decoded on demand, a few microseconds each). Beside them the folded state after the
 * last record, and a snapshot of it every {@value #SNAPSHOT_EVERY} records, so the state at any
 * instant costs one snapshot and at most that many records to fold, however long the log is.
 * Folded states share their unchanged parts, so the snapshots are cheap to keep.
 *
 * <p>One writer (the log follower) appends; any number of readers read at once. A reader works on
 * the records present when it asked ({@link #size()}); appends never change them.
 */
public final class LogStore {

    /** Records between snapshots of the folded state. */
    public static final int SNAPSHOT_EVERY = 2048;

    private final Object lock = new Object();
    private volatile Columns columns = new Columns(1024);
    private volatile int size;
    private volatile ClusterState state = ClusterState.EMPTY;
    private final List<Snapshot> snapshots = new ArrayList<>();
    private final List<String> kinds = new ArrayList<>();
    private final Map<String, Integer> kindIds = new HashMap<>();
    private final List<GroupId> groups = new ArrayList<>();
    private final Map<GroupId, Integer> groupIds = new HashMap<>();
    private final List<String> members = new ArrayList<>();
    private final Map<String, Integer> memberIds = new HashMap<>();
    private final Map<GroupId, IntList> byGroup = new HashMap<>();
    private final IntList leaderChanges = new IntList();
    private final IntList configChanges = new IntList();
    private long maxTimestamp = Long.MIN_VALUE;
    private long minTimestamp = Long.MAX_VALUE;

    /** The state after {@code index} records, and the latest record time among them. */
    private record Snapshot(int index, long maxTimestamp, long minTimestampAfter, ClusterState state) {
    }

    /**
     * Starts from a folded state (the decider's snapshots) instead of the empty one: the records
     * stored then are those after it. Only before the first record.
     */
    public void startFrom(ClusterState initial) {
        synchronized (lock) {
            if (size > 0) {
                throw new IllegalStateException("records are stored already");
            }
            state = initial;
        }
    }

    /** Appends a record read from the log, with its Avro bytes and its decision basis (if any). */
    public void append(LogRecord record, byte[] payload, OptionalLong basis) {
        synchronized (lock) {
            int index = size;
            Columns c = columns.ensure(index + 1);
            long millis = record.timestamp().toEpochMilli();
            c.timestamps[index] = millis;
            c.partitions[index] = record.partition();
            c.offsets[index] = record.offset();
            c.basis[index] = basis.isPresent() ? basis.getAsLong() : -1;
            c.kinds[index] = (short) intern(EventFacts.kind(record.event()), kinds, kindIds);
            GroupId group = EventFacts.group(record.event());
            c.groups[index] = group == null ? -1 : intern(group, groups, groupIds);
            String member = EventFacts.member(record.event());
            c.members[index] = member == null ? -1 : intern(member, members, memberIds);
            c.payloads[index] = payload;
            if (group != null) {
                byGroup.computeIfAbsent(group, g -> new IntList()).add(index);
            }
            if (record.event() instanceof FailoverDecided || record.event() instanceof SwitchoverStarted) {
                leaderChanges.add(index);
            } else if (record.event() instanceof ConfigurationChanged || record.event() instanceof ClusterInitialized) {
                configChanges.add(index);
            }
            if (index % SNAPSHOT_EVERY == 0) {
                snapshots.add(new Snapshot(index, maxTimestamp, millis, state));
            } else {
                Snapshot last = snapshots.get(snapshots.size() - 1);
                if (millis < last.minTimestampAfter()) {
                    snapshots.set(snapshots.size() - 1, new Snapshot(last.index(), last.maxTimestamp(), millis,
                            last.state()));
                }
            }
            maxTimestamp = Math.max(maxTimestamp, millis);
            minTimestamp = Math.min(minTimestamp, millis);
            state = ClusterFold.apply(state, record);
            columns = c;
            size = index + 1;
        }
    }

    /** Appends an event as if read from the log (tests and benchmarks). */
    public void append(LogRecord record, OptionalLong basis) {
        append(record, EventCodec.encode(record.event()), basis);
    }

    /** Records stored. */
    public int size() {
        return size;
    }

    /** The folded state after every record stored. */
    public ClusterState state() {
        return state;
    }

    /** The record at {@code index}, decoded. */
    public LogRecord record(int index) {
        Columns c = columns;
        Event event = switch (EventCodec.decodeEvent(c.payloads[index])) {
            case Decoded.Ok<Event> ok -> ok.value();
            case Decoded.Failed<Event> failed -> throw new IllegalStateException("stored record " + index
                    + " cannot be read: " + failed.reason());
        };
        return new LogRecord(c.partitions[index], c.offsets[index], Instant.ofEpochMilli(c.timestamps[index]), event);
    }

    public long timestamp(int index) {
        return columns.timestamps[index];
    }

    public int partition(int index) {
        return columns.partitions[index];
    }

    public long offset(int index) {
        return columns.offsets[index];
    }

    /** The decision basis of the record at {@code index}, if it is a decision. */
    public OptionalLong basis(int index) {
        long basis = columns.basis[index];
        return basis < 0 ? OptionalLong.empty() : OptionalLong.of(basis);
    }

    public String kind(int index) {
        synchronized (lock) {
            return kinds.get(columns.kinds[index]);
        }
    }

    /** The group of the record at {@code index}, or null for records about the log itself. */
    public GroupId group(int index) {
        int id = columns.groups[index];
        synchronized (lock) {
            return id < 0 ? null : groups.get(id);
        }
    }

    public String member(int index) {
        int id = columns.members[index];
        synchronized (lock) {
            return id < 0 ? null : members.get(id);
        }
    }

    /** A consistent view of the columns for scanning the first {@link Scan#size()} records. */
    public Scan scan() {
        synchronized (lock) {
            return new Scan(size, columns, List.copyOf(kinds), List.copyOf(groups), List.copyOf(members));
        }
    }

    /** The stored indices of {@code group}'s records, oldest first. */
    public int[] indicesOf(GroupId group) {
        synchronized (lock) {
            IntList list = byGroup.get(group);
            return list == null ? new int[0] : list.toArray();
        }
    }

    /** Indices of the records that began a change of leader (failover decided, switchover started). */
    public int[] leaderChanges() {
        synchronized (lock) {
            return leaderChanges.toArray();
        }
    }

    /** Indices of the configuration changes, and of the bootstraps that set the first configuration. */
    public int[] configChanges() {
        synchronized (lock) {
            return configChanges.toArray();
        }
    }

    /** Every group seen. */
    public List<GroupId> groups() {
        synchronized (lock) {
            return List.copyOf(groups);
        }
    }

    /**
     * The folded state of every record stored whose time is at or before {@code at}: the same fold,
     * from the last snapshot all of whose records are that old, over at most a few thousand records.
     * (Records of one partition arrive in time order; those of different partitions interleave by
     * a little, which the per-chunk earliest times account for.)
     */
    public ClusterState stateAt(Instant at) {
        long t = at.toEpochMilli();
        int end;
        List<Snapshot> chunks;
        synchronized (lock) {
            end = size;
            chunks = List.copyOf(snapshots);
        }
        if (end == 0) {
            return ClusterState.EMPTY;
        }
        int from = 0;
        for (int i = chunks.size() - 1; i >= 0; i--) {
            if (chunks.get(i).maxTimestamp() <= t) {
                from = i;
                break;
            }
        }
        ClusterState folded = chunks.get(from).state();
        Columns c = columns;
        for (int i = from; i < chunks.size(); i++) {
            Snapshot chunk = chunks.get(i);
            if (chunk.minTimestampAfter() > t) {
                break; // this chunk and, the log being in time order per partition, all later ones are later
            }
            int stop = i + 1 < chunks.size() ? chunks.get(i + 1).index() : end;
            for (int index = chunk.index(); index < stop; index++) {
                if (c.timestamps[index] <= t) {
                    folded = ClusterFold.apply(folded, record(index));
                }
            }
        }
        return folded;
    }

    /** The earliest and the latest time of the records stored; null when empty. */
    public Instant[] span() {
        synchronized (lock) {
            return size == 0 ? null : new Instant[] {Instant.ofEpochMilli(minTimestamp), Instant.ofEpochMilli(maxTimestamp)};
        }
    }

    /**
     * The first position in {@code indices} (one group's, from {@link #indicesOf}) whose record is at
     * or after {@code millis}. A group's records share one partition, so they are in time order.
     */
    public int firstAtOrAfter(int[] indices, long millis) {
        int low = 0;
        int high = indices.length;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (timestamp(indices[mid]) < millis) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    private static <T> int intern(T value, List<T> values, Map<T, Integer> ids) {
        Integer id = ids.get(value);
        if (id == null) {
            id = values.size();
            values.add(value);
            ids.put(value, id);
        }
        return id;
    }

    /**
     * The columns of the first {@code size} records, for scanning without locks.
     *
     * @param kinds   kind names by id
     * @param groups  groups by id
     * @param members member names by id
     */
    public record Scan(int size, Columns columns, List<String> kinds, List<GroupId> groups, List<String> members) {
        public long[] timestamps() {
            return columns.timestamps;
        }

        /** The id of {@code kind}, or -1 when no record has it. */
        public int kindId(String kind) {
            return kinds.indexOf(kind);
        }

        public int groupId(GroupId group) {
            return groups.indexOf(group);
        }

        public int memberId(String member) {
            return members.indexOf(member);
        }

        public int kindOf(int index) {
            return columns.kinds[index];
        }

        public int groupOf(int index) {
            return columns.groups[index];
        }

        public int memberOf(int index) {
            return columns.members[index];
        }
    }

    /** Growable parallel arrays; grown by copying, so a reader's reference stays valid. */
    public static final class Columns {
        final long[] timestamps;
        final int[] partitions;
        final long[] offsets;
        final long[] basis;
        final short[] kinds;
        final int[] groups;
        final int[] members;
        final byte[][] payloads;

        Columns(int capacity) {
            this(new long[capacity], new int[capacity], new long[capacity], new long[capacity], new short[capacity],
                    new int[capacity], new int[capacity], new byte[capacity][]);
        }

        private Columns(long[] timestamps, int[] partitions, long[] offsets, long[] basis, short[] kinds, int[] groups,
                        int[] members, byte[][] payloads) {
            this.timestamps = timestamps;
            this.partitions = partitions;
            this.offsets = offsets;
            this.basis = basis;
            this.kinds = kinds;
            this.groups = groups;
            this.members = members;
            this.payloads = payloads;
        }

        Columns ensure(int capacity) {
            if (capacity <= timestamps.length) {
                return this;
            }
            int grown = Math.max(capacity, timestamps.length * 2);
            return new Columns(Arrays.copyOf(timestamps, grown), Arrays.copyOf(partitions, grown),
                    Arrays.copyOf(offsets, grown), Arrays.copyOf(basis, grown), Arrays.copyOf(kinds, grown),
                    Arrays.copyOf(groups, grown), Arrays.copyOf(members, grown), Arrays.copyOf(payloads, grown));
        }
    }

    /** A growable list of ints. */
    private static final class IntList {
        private int[] values = new int[16];
        private int size;

        void add(int value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        int[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
