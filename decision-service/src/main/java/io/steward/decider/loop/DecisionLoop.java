package io.steward.decider.loop;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.steward.core.decide.Decider;
import io.steward.core.decide.Decision;
import io.steward.core.decide.DecisionPolicy;
import io.steward.core.event.DeciderEvent.DeciderActive;
import io.steward.core.event.DeciderEvent.DeciderElected;
import io.steward.core.event.DeciderEvent.GroupDecision;
import io.steward.core.event.DeciderEvent.GroupStuck;
import io.steward.core.event.DeciderEvent.LeaderLeaseChanged;
import io.steward.core.event.DeciderEvent.RequestAnswered;
import io.steward.core.event.DeciderEvent.Tick;
import io.steward.core.event.Event;
import io.steward.core.event.LogRecord;
import io.steward.core.event.OperatorRequest;
import io.steward.core.fold.ClusterFold;
import io.steward.core.model.GroupId;
import io.steward.core.state.ClusterState;
import io.steward.core.state.GroupState;
import io.steward.core.state.PartitionState;
import io.steward.decider.admission.FactAdmission;
import io.steward.decider.etcd.LeaderKeys;
import io.steward.decider.leadership.Leadership;
import io.steward.decider.requests.AnswerWaiters;
import io.steward.events.Decoded;
import io.steward.events.codec.EventCodec;
import io.steward.events.kafka.DeadLetters;
import io.steward.events.kafka.Topics;
import io.steward.events.snapshot.PartitionSnapshot;
import io.steward.events.snapshot.SnapshotStore;

/**
 * The decision service's one loop, on one thread: read the log, fold it, and, while this instance
 * leads, decide and write.
 *
 * <ul>
 *   <li>Every instance folds every record of every partition, so a standby that takes over has only
 *       the tail to read.</li>
 *   <li>On election the leader opens its transactional writer (which fences the previous leader's at
 *       the broker) and writes {@code DeciderElected(epoch)} to every partition first.</li>
 *   <li>A decision is applied to the state only when it is read back from the log: after writing to
 *       a partition, the leader decides nothing more there until it has folded its own records. So
 *       the state it decides on is always a prefix of the log, and each decision record carries the
 *       offset of that prefix ({@code steward.basis}).</li>
 *   <li>Each transaction holds decisions, the commands they issue, leader-key changes seen in etcd,
 *       ticks (so log time advances when agents are quiet), dead letters and snapshots, together
 *       with the consumed positions.</li>
 *   <li>Before each commit the leader checks that it is still sure of its lease; a deposed leader
 *       that writes anyway is refused by the broker and, its epoch being lower, ignored by the fold
 *       and by every agent.</li>
 * </ul>
 */
public final class DecisionLoop implements Runnable, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DecisionLoop.class);

    /**
     * Fault injection for tests: a leader that never checks its lease again once elected, to show
     * that the broker and the receivers refuse a deposed decider on their own.
     */
    static final String IGNORE_LEASE_FAULT = "steward.fault.decider-ignores-lease";
    /**
     * Fault injection for tests: {@code group:<scope>/<group>} makes deciding for that group throw
     * (what a bug in a rule would do), {@code loop} makes the loop itself fail once it decides.
     */
    static final String THROW_FAULT = "steward.fault.decider-throws";
    /** A transaction is committed only if the lease stays sure for at least this long. */
    private static final Duration COMMIT_MARGIN = Duration.ofMillis(200);

    /** How the loop reaches Kafka and what it decides with. */
    public record Settings(String bootstrapServers, Map<String, String> kafkaProperties, Topics topics,
                           String instance, DecisionPolicy policy, Duration tickInterval, Duration snapshotInterval) {
    }

    private final Settings settings;
    private final Leadership leadership;
    private final LeaderKeys leaderKeys;
    private final AnswerWaiters waiters;
    private final SnapshotStore snapshots;
    private final boolean ignoreLease = Boolean.getBoolean(IGNORE_LEASE_FAULT);
    private final String throwFault = System.getProperty(THROW_FAULT);
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Outbox outbox;
    private final List<TopicPartition> partitions = new ArrayList<>();
    private final FactAdmission admission;
    /** The facts topic's partitions: read only while this instance leads and admits. */
    private final List<TopicPartition> factPartitions = new ArrayList<>();
    /** Facts read and not yet admitted or refused. */
    private final List<ConsumerRecord<byte[], byte[]>> pendingFacts = new ArrayList<>();
    /** Per facts partition, the position after the last fact admitted or refused into the outbox. */
    private final Map<TopicPartition, Long> factsNext = new HashMap<>();
    private boolean admitting;
    private final Map<Integer, Long> awaiting = new HashMap<>();
    /** Since when each partition has records of this leader not read back yet. */
    private final Map<Integer, Long> readBackSince = new HashMap<>();
    private final Set<Integer> dirty = new TreeSet<>();
    private final Map<Integer, Long> snapshotted = new HashMap<>();
    private final List<org.apache.kafka.clients.producer.ProducerRecord<byte[], byte[]>> deadLetters = new ArrayList<>();
    /** How many of {@link #deadLetters}, from the first, the outbox holds now. */
    private int lettersInOutbox;
    /** The records of requests not answered yet: a request the rules fail on is dead-lettered as it was written. */
    private final Map<String, ConsumerRecord<byte[], byte[]>> openRequests = new HashMap<>();
    private final long startedNanos = System.nanoTime();
    private volatile boolean running = true;
    private volatile Throwable failure;
    private final LoopProgress progress;
    /** The last write, or opening the writer, failed: the loop is not getting a leader's work done. */
    private boolean writeFailing;
    private volatile ClusterState published = ClusterState.EMPTY;
    private volatile long leadingEpoch;
    private volatile boolean caughtUp;
    private ClusterState state = ClusterState.EMPTY;
    private LogWriter writer;
    /** The revision of the election key this instance leads under; 0 when it does not lead. */
    private long electedRevision;
    /** The epoch its records carry, chosen once the log is folded to where it ended at the election; 0 before. */
    private long epoch;
    private Map<TopicPartition, Long> endAtElection = Map.of();
    private long electedNanos;
    private boolean active;
    private long folded;
    private int snapshotPartitions;
    private long lastTickNanos;
    private long lastSnapshotNanos = System.nanoTime();

    /** @param progress where the loop says it got its work done, read by {@code leadership} */
    public DecisionLoop(Settings settings, Leadership leadership, LeaderKeys leaderKeys, AnswerWaiters waiters,
                        LoopProgress progress, FactAdmission admission) {
        this.settings = settings;
        this.progress = progress;
        this.admission = admission;
        this.leadership = leadership;
        this.leaderKeys = leaderKeys;
        this.waiters = waiters;
        this.snapshots = new SnapshotStore(settings.topics());
        this.outbox = new Outbox(settings.topics());
        Properties properties = new Properties();
        properties.putAll(settings.kafkaProperties());
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "20");
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "steward-decider-" + settings.instance());
        // no group membership (partitions are assigned), only the group's committed positions of
        // the facts topic, which the leader commits in its transactions
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, settings.topics().prefix() + "decider");
        this.consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        if (ignoreLease) {
            LOG.warn("FAULT INJECTION: {} is set: this instance keeps writing after losing its lease",
                    IGNORE_LEASE_FAULT);
        }
        if (throwFault != null) {
            LOG.warn("FAULT INJECTION: {} is {}", THROW_FAULT, throwFault);
        }
    }

    /** The state folded so far (immutable; safe to read from any thread). */
    public ClusterState state() {
        return published;
    }

    /** The epoch this instance leads with, or 0 when it does not lead. */
    public long leadingEpoch() {
        return leadingEpoch;
    }

    /**
     * Why the loop ended by itself, or null while it runs or when it was closed: such an instance
     * must give up its leadership (and exit), or no standby could take over.
     */
    public Throwable failure() {
        return failure;
    }

    /** Whether the fold has reached the end of the log at least once since start. */
    public boolean isCaughtUp() {
        return caughtUp;
    }

    @Override
    public void run() {
        try {
            start();
            while (running) {
                boolean leading = isLeading();
                fold(consumer.poll(Duration.ofMillis(leading ? 10 : 50)));
                if (isLeading()) {
                    act();
                    if (leaderGetsItsWorkDone()) {
                        progress.made();
                    }
                } else {
                    if (writer != null) {
                        stepDown("the leadership lease is no longer sure");
                    }
                    writeFailing = false; // a standby has nothing to write
                    progress.made();
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException | Error e) {
            failure = e;
            progress.failed();
            LOG.error("the decision loop cannot go on: {}", e.toString(), e);
        } finally {
            if (writer != null) {
                writer.close();
            }
            consumer.close(Duration.ofSeconds(2));
        }
    }

    // ---- reading -----------------------------------------------------------------------------

    private void start() {
        String log = settings.topics().log();
        for (var info : consumer.partitionsFor(log, Duration.ofSeconds(30))) {
            partitions.add(new TopicPartition(log, info.partition()));
        }
        String facts = settings.topics().facts();
        for (var info : consumer.partitionsFor(facts, Duration.ofSeconds(30))) {
            factPartitions.add(new TopicPartition(facts, info.partition()));
        }
        List<TopicPartition> all = new ArrayList<>(partitions);
        all.addAll(factPartitions);
        consumer.assign(all);
        consumer.pause(factPartitions);
        LOG.info("facts are {}", admission.checksSeals() ? "admitted when sealed by their writer"
                : "admitted unsealed: no writers' secret is configured (admission.secret_file)");
        long loadStart = System.nanoTime();
        Map<Integer, PartitionSnapshot> loaded = snapshots.load(settings.bootstrapServers(), settings.kafkaProperties());
        state = PartitionSnapshot.restore(loaded.values());
        snapshotPartitions = loaded.size();
        for (TopicPartition partition : partitions) {
            PartitionSnapshot snapshot = loaded.get(partition.partition());
            if (snapshot != null && snapshot.position() >= 0) {
                consumer.seek(partition, snapshot.position() + 1);
                snapshotted.put(partition.partition(), snapshot.position());
            } else {
                consumer.seekToBeginning(List.of(partition));
            }
        }
        published = state;
        LOG.info("loaded snapshots of {} of {} log partitions in {} ms; replaying the rest of the log",
                loaded.size(), partitions.size(), Duration.ofNanos(System.nanoTime() - loadStart).toMillis());
    }

    private void fold(Iterable<ConsumerRecord<byte[], byte[]>> records) {
        boolean any = false;
        for (ConsumerRecord<byte[], byte[]> record : records) {
            if (!record.topic().equals(settings.topics().log())) {
                if (admitting) {
                    pendingFacts.add(record);
                }
                continue;
            }
            any = true;
            switch (EventCodec.decodeEvent(record.value())) {
                case Decoded.Ok<Event> ok -> {
                    ClusterFold.Folded result = ClusterFold.applyChecked(state, new LogRecord(record.partition(),
                            record.offset(), Instant.ofEpochMilli(record.timestamp()), ok.value()));
                    state = result.state();
                    folded++;
                    if (result.rejection() != null) {
                        poison(record, result.rejection());
                        continue;
                    }
                    dirty.add(record.partition());
                    if (ok.value() instanceof OperatorRequest request) {
                        openRequests.put(request.requestId(), record);
                    } else if (ok.value() instanceof RequestAnswered answer) {
                        openRequests.remove(answer.requestId());
                        waiters.answered(answer);
                    }
                }
                case Decoded.Failed<Event> failed -> poison(record, failed.reason());
            }
        }
        if (any) {
            published = state;
        }
        if (!caughtUp && !any) {
            caughtUp = true;
            LOG.info("caught up with the log: {} records folded in {} ms; campaigning for leadership", folded,
                    Duration.ofNanos(System.nanoTime() - startedNanos).toMillis());
            leadership.start(); // only now: an instance that leads must know the log first
        }
    }

    private void poison(ConsumerRecord<byte[], byte[]> record, String reason) {
        LOG.error("a record on {}-{} at offset {} cannot be read and is skipped: {}", record.topic(),
                record.partition(), record.offset(), reason);
        deadLetters.add(DeadLetters.of(settings.topics(), record.topic(), record.partition(), record.offset(),
                record.key(), record.value(), reason, "decider " + settings.instance()));
    }

    // ---- leading -----------------------------------------------------------------------------

    private boolean isLeading() {
        if (ignoreLease && writer != null) {
            return true;
        }
        return leadership.status().mayWrite(COMMIT_MARGIN);
    }

    private void act() {
        long elected = ignoreLease && writer != null ? electedRevision : leadership.status().epoch();
        if (writer == null || elected != electedRevision) {
            takeOffice(elected);
            return;
        }
        if (epoch == 0) {
            announceElection();
            return;
        }
        if (!active && partitions.stream().allMatch(p -> readBack(p.partition()))) {
            active = true;
            long takeover = Duration.ofNanos(System.nanoTime() - electedNanos).toMillis();
            LOG.info("active as leader with epoch {}: {} ms after the election; {} records folded since start",
                    epoch, takeover, folded);
            for (TopicPartition partition : partitions) {
                outbox.control(partition.partition(), new DeciderActive(epoch, settings.instance(), takeover, folded,
                        snapshotPartitions));
            }
        }
        if (active && !admitting) {
            startAdmitting();
        }
        if (active && "loop".equals(throwFault)) {
            throw new IllegalStateException("fault injection: the decision loop fails");
        }
        Set<Integer> written = new TreeSet<>();
        Map<Integer, List<GroupState>> byPartition = groupsByPartition();
        for (TopicPartition topicPartition : partitions) {
            int partition = topicPartition.partition();
            if (!readBack(partition)) {
                continue;
            }
            List<GroupState> groups = byPartition.getOrDefault(partition, List.of());
            // Decide on what the log holds first, then record what etcd says since, in the same
            // transaction: a decision waiting on a fact already folded (a demotion's report, say)
            // does not wait for a lease change to be written and read back. Both are based on the
            // same position; the next decision sees the lease change.
            boolean decided = dirty.contains(partition) && decide(partition, groups);
            boolean reconciled = reconcileLeases(partition, groups);
            if (decided || reconciled) {
                written.add(partition);
            }
        }
        admitFacts(written);
        // after deciding: the rules may have rejected a request, whose record goes too
        deadLetters.forEach(outbox::add);
        lettersInOutbox = deadLetters.size();
        ticks();
        snapshots();
        if (outbox.isEmpty()) {
            dirty.clear();
            return;
        }
        write();
        dirty.removeAll(written);
        dirty.removeIf(partition -> readBack(partition) && !written.contains(partition));
    }

    /**
     * Starts reading the facts topic from where the previous leader's transactions left it (the
     * positions committed with them), so each fact is admitted exactly once across takeovers.
     */
    private void startAdmitting() {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new java.util.HashSet<>(factPartitions),
                    Duration.ofSeconds(5));
            for (TopicPartition partition : factPartitions) {
                OffsetAndMetadata position = committed.get(partition);
                if (position != null) {
                    consumer.seek(partition, position.offset());
                } else {
                    consumer.seekToBeginning(List.of(partition));
                }
            }
        } catch (KafkaException e) {
            LOG.warn("cannot read where admission stopped yet: {}", e.getMessage());
            return;
        }
        consumer.resume(factPartitions);
        admitting = true;
        LOG.info("admitting facts from {}", settings.topics().facts());
    }

    /** Admits the facts read this round into the log, or refuses them to the dead-letter topic. */
    private void admitFacts(Set<Integer> written) {
        for (ConsumerRecord<byte[], byte[]> fact : pendingFacts) {
            switch (admission.admit(fact.key(), fact.value(), fact.headers())) {
                case FactAdmission.Admitted admitted -> {
                    outbox.admitted(fact.key(), fact.value(), (admitted.writer() == null ? "unsealed" : admitted.writer())
                            + " " + fact.topic() + "-" + fact.partition() + "@" + fact.offset());
                    written.add(fact.partition()); // the same partition number in the log: await it
                }
                case FactAdmission.Refused refused -> {
                    LOG.warn("refused a fact on {}-{} at offset {}: {}", fact.topic(), fact.partition(), fact.offset(),
                            refused.reason());
                    deadLetters.add(DeadLetters.of(settings.topics(), fact.topic(), fact.partition(), fact.offset(),
                            fact.key(), fact.value(), "refused: " + refused.reason(), "decider " + settings.instance()));
                }
            }
            factsNext.put(new TopicPartition(fact.topic(), fact.partition()), fact.offset() + 1);
        }
        pendingFacts.clear();
    }

    /**
     * Won the election at {@code revision}: opens the transactional writer, which fences the
     * previous leader's at the broker, and notes where the log ends now; the epoch is chosen once
     * everything before that end is folded ({@link #announceElection()}).
     */
    private void takeOffice(long revision) {
        if (writer != null) {
            writer.close();
            writer = null;
        }
        stopAdmitting();
        Map<TopicPartition, Long> end;
        try {
            writer = new LogWriter(settings.bootstrapServers(), settings.kafkaProperties(),
                    settings.topics().prefix() + "decider", settings.topics().log(),
                    settings.topics().prefix() + "decider");
            end = consumer.endOffsets(partitions, Duration.ofSeconds(5));
        } catch (KafkaException e) { // a time-out too
            LOG.warn("cannot take office yet: {}", e.getMessage());
            if (writer != null) {
                writer.close();
                writer = null;
            }
            writeFailing = true;
            return;
        }
        electedRevision = revision;
        epoch = 0;
        electedNanos = System.nanoTime();
        active = false;
        outbox.clear();
        lettersInOutbox = 0;
        endAtElection = end;
    }

    /**
     * Once the log is folded up to where it ended at the election (nothing the previous leader
     * committed is left unread: its writer is fenced), writes {@code DeciderElected} with the epoch:
     * the election key's revision, or one more than any epoch the log has seen, whichever is
     * higher. So epochs keep growing even when etcd was rebuilt from scratch and its revisions
     * started again near 1.
     */
    private void announceElection() {
        for (TopicPartition partition : partitions) {
            Long end = endAtElection.get(partition);
            if (end != null && consumer.position(partition) < end) {
                return; // still folding what was written before the election
            }
        }
        long highestSeen = 0;
        for (TopicPartition partition : partitions) {
            highestSeen = Math.max(highestSeen, state.partition(partition.partition()).epoch());
        }
        epoch = Epochs.next(electedRevision, highestSeen);
        if (epoch != electedRevision) {
            LOG.warn("the election revision {} is not above the highest epoch in the log ({}); leading with epoch {}",
                    electedRevision, highestSeen, epoch);
        }
        LOG.info("elected with epoch {}: writing DeciderElected to {} partitions", epoch, partitions.size());
        for (TopicPartition partition : partitions) {
            outbox.control(partition.partition(), new DeciderElected(epoch, settings.instance()));
        }
        lastTickNanos = System.nanoTime();
        write();
        leadingEpoch = writer == null ? 0 : epoch;
    }

    private void stepDown(String why) {
        LOG.warn("stepping down ({}): no more writes with epoch {}", why, epoch);
        if (writer != null) {
            writer.close();
            writer = null;
        }
        epoch = 0;
        electedRevision = 0;
        leadingEpoch = 0;
        active = false;
        outbox.clear();
        lettersInOutbox = 0;
        stopAdmitting();
        awaiting.clear();
        readBackSince.clear();
    }

    /**
     * Whether this leader's round got its work done: its last write went through, and it is active
     * with nothing it wrote left unread for too long, or still taking office within the limit (a
     * leader that cannot read its election back, or a partition it wrote to, is no leader).
     */
    private boolean leaderGetsItsWorkDone() {
        if (writeFailing) {
            return false;
        }
        long now = System.nanoTime();
        if (!active) {
            return now - electedNanos < progress.limit().toNanos();
        }
        return readBackSince.values().stream().noneMatch(since -> now - since >= progress.limit().toNanos());
    }

    /** Facts are admitted by the leader only; what was read and not written is read again by the next. */
    private void stopAdmitting() {
        if (admitting) {
            consumer.pause(factPartitions);
        }
        admitting = false;
        pendingFacts.clear();
        factsNext.clear();
    }

    /** Whether the leader has folded everything it wrote to {@code partition}. */
    private boolean readBack(int partition) {
        Long last = awaiting.get(partition);
        boolean done = last == null || state.partition(partition).position() >= last;
        if (done) {
            readBackSince.remove(partition);
        }
        return done;
    }

    private Map<Integer, List<GroupState>> groupsByPartition() {
        Map<Integer, List<GroupState>> groups = new TreeMap<>();
        for (GroupId id : state.groups().sortedKeys(GroupId::compareTo)) {
            GroupState group = state.groups().get(id);
            groups.computeIfAbsent(group.partition(), p -> new ArrayList<>()).add(group);
        }
        return groups;
    }

    /** Records every difference between the leader keys in etcd and the folded leases. */
    private boolean reconcileLeases(int partition, List<GroupState> groups) {
        if (!leaderKeys.isSynced()) {
            return false;
        }
        long basis = state.partition(partition).position();
        boolean any = false;
        for (GroupState group : groups) {
            LeaderKeys.Observed observed = leaderKeys.of(group.id());
            boolean sameEtcd = leaderKeys.currentRevision() >= group.lease().revision();
            if (observed.revision() < group.lease().revision() && sameEtcd) {
                continue; // the log knows a later revision than this instance has seen: wait for the watch
            }
            if (observed.holder() == null && group.lease().holder() != null && !leaderKeys.hasSeen(group.id())
                    && leaderKeys.sinceFirstRead().compareTo(group.config().ttl().multipliedBy(2)) < 0) {
                // never seen by this instance: the key may have been deleted before it started, its
                // holder's lease still alive; once any lease of the group's ttl would have ended, it is free
                continue;
            }
            boolean holderChanged = !Objects.equals(group.lease().holder(), observed.holder());
            // a key deleted by hand and taken back keeps its holder: recorded too, for the audit
            boolean heldKeyChanged = observed.holder() != null && observed.revision() > group.lease().revision();
            if (group.lease().since() == null || holderChanged || heldKeyChanged) {
                LeaderLeaseChanged change = new LeaderLeaseChanged(epoch, group.id(), observed.holder(),
                        observed.revision(), observed.cause());
                LOG.info("{}: leader key {} ({})", group.id(), observed.holder() == null ? "free" : "held by "
                        + observed.holder(), observed.cause());
                outbox.decision(change, basis);
                any = true;
            }
        }
        return any;
    }

    private boolean decide(int partition, List<GroupState> groups) {
        PartitionState partitionState = state.partition(partition);
        boolean any = false;
        for (GroupState group : groups) {
            Decision decision;
            try {
                if (throwFault != null && throwFault.equals("group:" + group.id().key())) {
                    throw new IllegalStateException("fault injection: deciding for " + group.id().key() + " fails");
                }
                decision = Decider.decide(state, group.id(), partitionState.clock(), settings.policy());
            } catch (RuntimeException | StackOverflowError e) {
                // Decider.decide contains what its rules throw; this is the last line, so that one
                // group can never stop the decisions of all the others
                LOG.error("{}: deciding failed: {}", group.id(), e.toString(), e);
                String reason = "the decider failed on this group: " + e;
                if (reason.equals(group.stuck())) {
                    continue;
                }
                decision = new Decision(List.of(new GroupStuck(epoch, group.id(), reason)), reason);
            }
            if (decision.isEmpty()) {
                LOG.debug("{}: {}", group.id(), decision.reason());
                continue;
            }
            LOG.info("{}: {}", group.id(), decision.reason());
            for (GroupDecision event : decision.events()) {
                outbox.decision(event, partitionState.position());
            }
            for (String requestId : decision.rejected()) {
                ConsumerRecord<byte[], byte[]> request = openRequests.get(requestId);
                if (request != null) {
                    deadLetters.add(DeadLetters.of(settings.topics(), request.topic(), request.partition(),
                            request.offset(), request.key(), request.value(), decision.reason(),
                            "decider " + settings.instance()));
                }
            }
            any = true;
        }
        return any;
    }

    private void ticks() {
        if (System.nanoTime() - lastTickNanos < settings.tickInterval().toNanos()) {
            return;
        }
        lastTickNanos = System.nanoTime();
        for (TopicPartition partition : partitions) {
            outbox.control(partition.partition(), new Tick(epoch));
        }
    }

    private void snapshots() {
        if (System.nanoTime() - lastSnapshotNanos < settings.snapshotInterval().toNanos()) {
            return;
        }
        lastSnapshotNanos = System.nanoTime();
        for (TopicPartition partition : partitions) {
            long position = state.partition(partition.partition()).position();
            if (position > snapshotted.getOrDefault(partition.partition(), -1L)) {
                outbox.add(snapshots.record(state, partition.partition()));
                snapshotted.put(partition.partition(), position);
            }
        }
    }

    private void write() {
        List<org.apache.kafka.clients.producer.ProducerRecord<byte[], byte[]>> records = outbox.drain();
        try {
            Map<Integer, Long> last = writer.write(records, positions(),
                    () -> (ignoreLease && writer != null) || leadership.status().mayWrite(COMMIT_MARGIN)
                            && leadership.status().epoch() == electedRevision);
            if (last == null) {
                LOG.warn("the leadership lease is no longer sure: {} records not written", records.size());
                stepDown("lease not sure at commit");
                return;
            }
            deadLetters.subList(0, lettersInOutbox).clear(); // what this transaction carried
            lettersInOutbox = 0;
            last.forEach((partition, offset) -> {
                awaiting.merge(partition, offset, Math::max);
                readBackSince.putIfAbsent(partition, System.nanoTime());
            });
            writeFailing = false;
        } catch (LogWriter.Deposed e) {
            LOG.error("write rejected: {}; {} records refused", e.getMessage(), records.size());
            stepDown("deposed");
        } catch (KafkaException e) {
            LOG.warn("writing {} records failed ({}); deciding again", records.size(), e.getMessage());
            writeFailing = true;
            stepDown("write failed");
        }
    }

    private Map<TopicPartition, OffsetAndMetadata> positions() {
        Map<TopicPartition, OffsetAndMetadata> positions = new HashMap<>();
        factsNext.forEach((partition, next) -> positions.put(partition, new OffsetAndMetadata(next)));
        for (TopicPartition partition : partitions) {
            long position = state.partition(partition.partition()).position();
            if (position >= 0) {
                positions.put(partition, new OffsetAndMetadata(position + 1));
            }
        }
        return positions;
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
    }

    static String describe(byte[] key) {
        return key == null ? "(no key)" : new String(key, StandardCharsets.UTF_8);
    }
}
