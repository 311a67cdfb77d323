package io.steward.citus.sync;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.steward.citus.config.CitusSyncConfig;
import io.steward.citus.coordinator.Coordinator;
import io.steward.core.citus.CitusCall;
import io.steward.core.citus.NodeAddress;
import io.steward.core.citus.TopologyPlanner;
import io.steward.core.citus.WantedGroup;
import io.steward.core.citus.WantedTopology;
import io.steward.core.citus.WantedTopology.PrimaryStop;
import io.steward.core.event.CitusEvent;
import io.steward.core.event.CitusEvent.CitusGroupPaused;
import io.steward.core.event.CitusEvent.CitusTopologyApplied;
import io.steward.core.event.CitusEvent.CitusTopologyFailed;
import io.steward.core.event.Event;
import io.steward.core.event.LogRecord;
import io.steward.core.fold.ClusterFold;
import io.steward.core.model.GroupId;
import io.steward.core.state.ClusterState;
import io.steward.events.Decoded;
import io.steward.events.codec.EventCodec;
import io.steward.events.kafka.DeadLetters;
import io.steward.events.kafka.LogPartitions;
import io.steward.events.kafka.FactSeal;
import io.steward.events.kafka.KeyFiles;
import io.steward.events.kafka.Topics;

/**
 * Follows the log with the core's fold and keeps the coordinator's {@code pg_dist_node} saying
 * what it says: once caught up, after every batch of records that changes the wanted topology (and
 * every few seconds to repair drift), it plans the difference and applies it on the coordinator
 * group's leader in one transaction with the log positions it covers. Reports each plan
 * ({@link CitusTopologyApplied}) or failure ({@link CitusTopologyFailed}) to the log. Records it
 * cannot read are dead-lettered and skipped. One thread.
 */
public final class CitusSync implements Runnable, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CitusSync.class);
    private static final Duration RECHECK = Duration.ofSeconds(5);
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final CitusSyncConfig config;
    private final Topics topics;
    private final GroupId coordinatorGroup;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> producer;
    private final String writer;
    private final byte[] writerKey;
    private final KafkaProducer<byte[], byte[]> deadLetters;
    private final Coordinator coordinator;
    private final Map<Integer, Long> positions = new TreeMap<>();
    private volatile boolean running = true;
    private volatile boolean caughtUp;
    private volatile long applied;
    private ClusterState state = ClusterState.EMPTY;
    private Instant basedOn = Instant.EPOCH;
    private List<WantedGroup> inPlace;
    private long nextCheckNanos;
    private String lastFailure;
    private final Map<Integer, Coordinator.Pause> pauses = new TreeMap<>();
    private final Map<Integer, Instant> pausedAt = new java.util.concurrent.ConcurrentHashMap<>();
    /** Per worker group, the leader change already seen through (completed, nothing to do, or given up). */
    private final Map<Integer, Optional<NodeAddress>> handled = new TreeMap<>();
    /** Per worker group, the request whose pause was last reported to the decider. */
    private final Map<Integer, String> reported = new TreeMap<>();

    public CitusSync(CitusSyncConfig config) {
        this.config = config;
        this.topics = new Topics(config.topicPrefix());
        this.coordinatorGroup = new GroupId(config.scope(), 0);
        Properties consumerProperties = new Properties();
        consumerProperties.putAll(config.kafkaProperties());
        consumerProperties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        consumerProperties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerProperties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumerProperties.put(ConsumerConfig.CLIENT_ID_CONFIG, "steward-citus-sync-" + config.name());
        consumerProperties.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
        this.consumer = new KafkaConsumer<>(consumerProperties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        Properties producerProperties = new Properties();
        producerProperties.putAll(config.kafkaProperties());
        producerProperties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        producerProperties.put(ProducerConfig.CLIENT_ID_CONFIG, "steward-citus-sync-" + config.name());
        producerProperties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        producerProperties.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProperties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "2000");
        this.producer = new KafkaProducer<>(producerProperties, new ByteArraySerializer(), new ByteArraySerializer());
        this.writer = FactSeal.citusSync(config.scope(), config.name());
        this.writerKey = config.writerKeyFile() == null ? null
                : KeyFiles.read(config.writerKeyFile(), "kafka.writer_key_file");
        this.deadLetters = new KafkaProducer<>(producerProperties, new ByteArraySerializer(), new ByteArraySerializer());
        this.coordinator = new Coordinator(config);
    }

    /** Whether the fold has reached the end of the log once. */
    public boolean isCaughtUp() {
        return caughtUp;
    }

    /** When the last pause of worker group {@code group} took hold (wall clock), if any. */
    public Optional<Instant> lastPauseOf(int group) {
        return Optional.ofNullable(pausedAt.get(group));
    }

    /** Plans applied since start. */
    public long appliedPlans() {
        return applied;
    }

    @Override
    public void run() {
        try {
            List<TopicPartition> partitions = LogPartitions.assignAllFromBeginning(consumer, topics.log());
            LOG.info("citus-sync {} follows {} ({} partitions) for the Citus cluster {}", config.name(), topics.log(),
                    partitions.size(), config.scope());
            while (running) {
                boolean any = fold(consumer.poll(Duration.ofMillis(100)));
                if (!any && !caughtUp) {
                    caughtUp = true;
                    LOG.info("caught up with the log; keeping pg_dist_node in line from now on");
                }
                if (caughtUp) {
                    sync();
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("citus-sync stopped: {}", e.getMessage(), e);
        } finally {
            releaseAll("stopping");
            consumer.close(Duration.ofSeconds(2));
            producer.close(Duration.ofSeconds(2));
            deadLetters.close(Duration.ofSeconds(2));
            coordinator.close();
        }
    }

    private boolean fold(Iterable<ConsumerRecord<byte[], byte[]>> records) {
        boolean any = false;
        for (ConsumerRecord<byte[], byte[]> record : records) {
            any = true;
            positions.put(record.partition(), record.offset());
            switch (EventCodec.decodeEvent(record.value())) {
                case Decoded.Ok<Event> ok -> {
                    Instant at = Instant.ofEpochMilli(record.timestamp());
                    state = ClusterFold.apply(state, new LogRecord(record.partition(), record.offset(), at, ok.value()));
                    if (!(ok.value() instanceof CitusEvent) && at.isAfter(basedOn)) {
                        basedOn = at;
                    }
                }
                case Decoded.Failed<Event> failed -> {
                    LOG.error("a record on {}-{} at offset {} cannot be read and is skipped: {}", record.topic(),
                            record.partition(), record.offset(), failed.reason());
                    deadLetters.send(DeadLetters.of(topics, record.topic(), record.partition(), record.offset(),
                            record.key(), record.value(), failed.reason(), "citus-sync " + config.name()));
                }
            }
        }
        return any;
    }

    private void sync() {
        List<WantedGroup> wanted = WantedTopology.of(state, config.scope());
        Optional<WantedGroup> coordinatorGroupWanted = wanted.stream().filter(group -> group.groupId() == 0).findFirst();
        if (coordinatorGroupWanted.isEmpty()) {
            releaseAll("the coordinator group has no running leader");
            failed(null, List.of(), "the coordinator group " + coordinatorGroup + " has no running leader");
            return;
        }
        NodeAddress target = coordinatorGroupWanted.get().primary();
        String member = state.group(coordinatorGroup).map(group -> group.leader()).orElse(null);
        pauses(wanted, target, member);
        List<WantedGroup> unpaused = wanted.stream().filter(group -> !pauses.containsKey(group.groupId())).toList();
        if (unpaused.equals(inPlace) && System.nanoTime() < nextCheckNanos) {
            return;
        }
        if (!unpaused.equals(inPlace) && lastFailure != null && System.nanoTime() < nextCheckNanos) {
            return; // a failed attempt waits for its retry time
        }
        List<CitusCall> calls = List.of();
        try {
            calls = TopologyPlanner.plan(coordinator.rows(target), unpaused, false, config.lockCooldownMillis());
            if (calls.isEmpty()) {
                settled(unpaused);
                return;
            }
            long start = System.nanoTime();
            Map<Integer, Long> covered = new TreeMap<>(positions);
            Coordinator.Outcome outcome = coordinator.apply(target, calls, covered, config.name());
            long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
            if (outcome == Coordinator.Outcome.STALE) {
                LOG.warn("the coordinator holds a topology from further along the log than this instance has read; "
                        + "not applying {} call(s)", calls.size());
                nextCheckNanos = System.nanoTime() + RETRY.toNanos();
                return;
            }
            applied(member, target, calls, covered, millis, null);
            settled(unpaused);
        } catch (SQLException e) {
            coordinator.reset();
            failed(member, calls, e.getMessage());
        }
    }

    /**
     * The pause protocol for worker groups whose primary changes or stops: from the moment the log
     * says so (held failed, a failover or switchover under way, a planned stop the decider holds
     * for the pause, a restart under way) until the new primary runs (or the restarted one answered),
     * a coordinator transaction holds the group's primary paused, so statements through the
     * coordinator wait instead of failing against the old primary. A new primary is written into
     * pg_dist_node in that transaction, which commits; otherwise it rolls back. When the decider
     * holds a planned stop, the pause is reported ({@link CitusGroupPaused}) so the stop can go
     * out. Past {@code pause_timeout} the transaction rolls back and statements go on as before.
     */
    private void pauses(List<WantedGroup> wanted, NodeAddress target, String member) {
        Map<Integer, PrimaryStop> stops = WantedTopology.primaryStops(state, config.scope());
        handled.keySet().removeIf(group -> !stops.containsKey(group));
        reported.keySet().removeIf(group -> !stops.containsKey(group));
        for (var iterator = pauses.entrySet().iterator(); iterator.hasNext(); ) {
            var entry = iterator.next();
            int group = entry.getKey();
            Coordinator.Pause pause = entry.getValue();
            Optional<WantedGroup> now = wanted.stream().filter(g -> g.groupId() == group).findFirst();
            boolean newPrimaryRuns = now.isPresent() && !now.get().primary().equals(pause.pausedPrimary());
            if (newPrimaryRuns) {
                iterator.remove();
                handled.put(group, successorOf(stops.get(group)));
                complete(pause, now.get(), target, member);
            } else if (!stops.containsKey(group)) {
                iterator.remove();
                pause.close();
                LOG.info("group {} keeps its primary; statements paused for {} ms go on", group, pause.held().toMillis());
            } else if (pause.held().compareTo(config.pauseTimeout()) > 0) {
                iterator.remove();
                handled.put(group, stops.get(group).successor());
                pause.close();
                failed(member, List.of(), "group " + group + " was paused for " + config.pauseTimeout().toSeconds()
                        + " s without a new primary running; released (statements go on to the old primary)");
            }
        }
        stops.forEach((group, stop) -> {
            if (pauses.containsKey(group) || stop.successor().equals(handled.get(group))) {
                return;
            }
            try {
                Coordinator.Pause pause = coordinator.pause(target, group, Math.min(config.lockCooldownMillis(), 1000));
                if (pause == null) {
                    handled.put(group, stop.successor());
                } else if (stop.successor().isPresent() && pause.pausedPrimary().equals(stop.successor().get())) {
                    pause.close(); // already registered
                    handled.put(group, stop.successor());
                } else {
                    pauses.put(group, pause);
                    pausedAt.put(group, Instant.now());
                    LOG.info("group {}'s primary is changing or stopping: statements through the coordinator to {} wait "
                            + "(took {} ms)", group, pause.pausedPrimary(), pause.waitedMillis());
                }
            } catch (SQLException e) {
                failed(member, List.of(), "cannot pause group " + group + ": " + e.getMessage());
            }
        });
        stops.forEach((group, stop) -> {
            Coordinator.Pause pause = pauses.get(group);
            if (pause != null && stop.awaitingPause() != null && !stop.awaitingPause().equals(reported.get(group))) {
                reported.put(group, stop.awaitingPause());
                report(new CitusGroupPaused(coordinatorGroup, new GroupId(config.scope(), group), stop.awaitingPause(),
                        member, pause.pausedPrimary().host() + ":" + pause.pausedPrimary().port(), pause.waitedMillis(),
                        config.name()));
            }
        });
    }

    /** The successor a completed pause was for: the one the log names, or none. */
    private static Optional<NodeAddress> successorOf(PrimaryStop stop) {
        return stop == null ? Optional.empty() : stop.successor();
    }

    private void complete(Coordinator.Pause pause, WantedGroup group, NodeAddress target, String member) {
        List<CitusCall> calls = List.of();
        try {
            calls = TopologyPlanner.plan(pause.rows(), List.of(group), true, config.lockCooldownMillis());
            Map<Integer, Long> covered = new TreeMap<>(positions);
            long held = pause.held().toMillis();
            if (pause.complete(calls, covered, config.name()) == Coordinator.Outcome.APPLIED) {
                applied(member, target, calls, covered, held, "group " + group.groupId() + " paused " + held + " ms");
            }
        } catch (SQLException e) {
            failed(member, calls, "completing the pause of group " + group.groupId() + ": " + e.getMessage());
        }
    }

    private void releaseAll(String why) {
        if (!pauses.isEmpty()) {
            LOG.warn("releasing {} paused group(s): {}", pauses.size(), why);
            pauses.values().forEach(Coordinator.Pause::close);
            pauses.clear();
        }
    }

    private void applied(String member, NodeAddress target, List<CitusCall> calls, Map<Integer, Long> covered, long millis,
                         String note) {
        applied++;
        List<String> described = calls.stream().map(CitusCall::describe).toList();
        LOG.info("pg_dist_node on {} ({}) updated in {} ms{}: {}", member, target, millis, note == null ? "" : " (" + note + ")",
                String.join("; ", described));
        report(new CitusTopologyApplied(coordinatorGroup, member, described,
                covered.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue()).toList(), basedOn.toEpochMilli(),
                millis, config.name()));
    }

    private void settled(List<WantedGroup> wanted) {
        inPlace = wanted;
        lastFailure = null;
        nextCheckNanos = System.nanoTime() + RECHECK.toNanos();
    }

    private void failed(String member, List<CitusCall> calls, String reason) {
        nextCheckNanos = System.nanoTime() + RETRY.toNanos();
        inPlace = null;
        if (reason.equals(lastFailure)) {
            return; // reported once until something changes
        }
        lastFailure = reason;
        LOG.warn("pg_dist_node not updated: {}", reason);
        report(new CitusTopologyFailed(coordinatorGroup, member, calls.stream().map(CitusCall::describe).toList(), reason,
                config.name()));
    }

    /** Hands a report in on the facts topic, sealed with this instance's key (a decider admits it, ADR 7). */
    private void report(CitusEvent event) {
        producer.send(FactSeal.fact(topics.facts(), writer, writerKey, event.group().key(), event), (metadata, error) -> {
            if (error != null) {
                LOG.warn("could not report {} to the log: {}", event.getClass().getSimpleName(), error.getMessage());
            }
        });
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
    }
}
