package io.steward.bench.compare;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.PutOption;
import io.steward.core.command.Command;
import io.steward.core.config.ConfigTree;
import io.steward.core.event.AgentEvent.ClusterInitialized;
import io.steward.core.event.AgentEvent.MemberObserved;
import io.steward.core.event.AgentEvent.MemberRegistered;
import io.steward.core.event.DeciderEvent.CommandIssued;
import io.steward.core.event.DeciderEvent.DeciderActive;
import io.steward.core.event.Event;
import io.steward.core.model.Endpoints;
import io.steward.core.model.GroupId;
import io.steward.core.model.Lsn;
import io.steward.core.model.Observation;
import io.steward.core.model.PgState;
import io.steward.core.model.ReplicationPeer;
import io.steward.core.model.Role;
import io.steward.core.model.Tags;
import io.steward.events.Decoded;
import io.steward.events.kafka.EventDeserializer;
import io.steward.events.kafka.EventSerializer;
import io.steward.events.kafka.Topics;
import io.steward.testkit.Await;
import io.steward.testkit.Testbed;
import io.steward.testkit.decider.DeciderNode;
import io.steward.testkit.etcd.EtcdNode;
import io.steward.testkit.kafka.KafkaBroker;

/**
 * The decider under a fleet's load, through real Kafka and etcd: 10,000 simulated members (3,334
 * groups of three) each send a heartbeat every second while, once a second, one group's primary
 * reports a crash. Decision latency is the time from that report's append to the log to the
 * append of the restart command the decider issues for it (both broker timestamps). Then the
 * leading decider is killed and the standby's takeover is timed.
 *
 * <pre>bash scripts/bench-decider.sh [--members 10000] [--probes 120]</pre>
 */
public final class DeciderLoadMain {

    private static final String SCOPE = "fleet";
    private static final Tags TAGS = Tags.NONE;

    public static void main(String[] args) throws Exception {
        int memberCount = 10_000;
        int probes = 120;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--members" -> memberCount = Integer.parseInt(args[++i]);
                case "--probes" -> probes = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i] + " (--members N, --probes N)");
            }
        }
        int groups = (memberCount + 2) / 3;
        Testbed testbed = new Testbed();
        try {
            run(testbed, groups, probes);
        } finally {
            testbed.afterAll(null);
        }
        System.exit(0);
    }

    private static void run(Testbed testbed, int groups, int probes) throws Exception {
        EtcdNode etcd = testbed.etcd().start();
        KafkaBroker kafka = testbed.kafka().start();
        DeciderNode d1 = decider(testbed, "d1", etcd, kafka);
        DeciderNode d2 = decider(testbed, "d2", etcd, kafka);
        Await.until("a leading decider", Duration.ofSeconds(120), d1::isLeader);

        leaderKeys(etcd, groups);
        Map<String, Long> triggers = new ConcurrentHashMap<>();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        List<DeciderActive> takeovers = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean running = new AtomicBoolean(true);
        Thread watcher = new Thread(() -> watch(kafka, triggers, latencies, takeovers, running), "decisions");
        watcher.start();

        try (KafkaProducer<String, Event> producer = producer(kafka)) {
            for (int g = 0; g < groups; g++) {
                GroupId id = new GroupId(SCOPE, g);
                for (int m = 0; m < 3; m++) {
                    send(producer, new MemberRegistered(id, name(g, m), "inc", endpoints(g, m), TAGS, "bench", 42L));
                }
                send(producer, new ClusterInitialized(id, name(g, 0), 42L, ConfigTree.EMPTY));
            }
            producer.flush();
            System.out.printf("registered %d members in %d groups%n", groups * 3, groups);

            long sequence = 0;
            int probed = 0;
            long lsn = 0x5000000L;
            long started = System.nanoTime();
            // a warm-up minute of heartbeats, then one crash report per second
            while (probed < probes) {
                long second = System.nanoTime();
                sequence++;
                lsn += 1024;
                for (int g = 0; g < groups; g++) {
                    GroupId id = new GroupId(SCOPE, g);
                    for (int m = 0; m < 3; m++) {
                        Observation observation = m == 0 ? primary(lsn, g) : replica(lsn, name(g, 0));
                        if (g < probed && m == 0) {
                            observation = crashed(lsn); // probed groups stay down: no second restart decision
                        }
                        send(producer, new MemberObserved(id, name(g, m), "inc", sequence, observation, TAGS,
                                endpoints(g, m)));
                    }
                }
                if (System.nanoTime() - started > TimeUnit.SECONDS.toNanos(60)) {
                    int g = probed++;
                    GroupId id = new GroupId(SCOPE, g);
                    producer.send(new ProducerRecord<>(Topics.DEFAULT.facts(), id.key(), new MemberObserved(id,
                            name(g, 0), "inc", sequence, crashed(lsn), TAGS, endpoints(g, 0))),
                            (metadata, error) -> {
                                if (error == null) {
                                    triggers.put(id.key(), metadata.timestamp());
                                }
                            });
                }
                producer.flush();
                long spent = System.nanoTime() - second;
                if (spent > TimeUnit.SECONDS.toNanos(1)) {
                    System.out.printf("heartbeats of one second took %d ms to send%n", spent / 1_000_000);
                } else {
                    Thread.sleep((TimeUnit.SECONDS.toNanos(1) - spent) / 1_000_000);
                }
            }
            Thread.sleep(5000);
        }
        report("decision latency at " + groups * 3 + " members (crash report → restart command, broker time)",
                latencies, probes);

        long killed = System.currentTimeMillis();
        d1.kill9();
        Await.until("the standby decider active", Duration.ofSeconds(120),
                () -> takeovers.stream().anyMatch(a -> a.instance().equals("d2")));
        DeciderActive active = takeovers.stream().filter(a -> a.instance().equals("d2")).findFirst().orElseThrow();
        System.out.printf(Locale.ROOT, "takeover: leading decider killed → standby active: %.2f s "
                        + "(of which election → active: %d ms, %d records folded)%n",
                (System.currentTimeMillis() - killed) / 1000.0, active.takeoverMillis(), active.foldedRecords());
        running.set(false);
        watcher.join(10_000);
        d2.close();
    }

    /** A decider as compose/systemd runs one: both compiler tiers (the test kit keeps only the first). */
    private static DeciderNode decider(Testbed testbed, String name, EtcdNode etcd, KafkaBroker kafka) {
        return testbed.decider(name).etcd(etcd).kafka(kafka).set("kafka.partitions", 12)
                .set("loop.snapshot_interval_s", 30).jvmOption("-Xmx1g").jvmOption("-XX:TieredStopAtLevel=4").start();
    }

    /** One leader key per group, on one long lease, as the groups' primaries would hold them. */
    private static void leaderKeys(EtcdNode etcd, int groups) throws Exception {
        try (Client client = Client.builder().endpoints(etcd.endpoint()).build()) {
            long lease = client.getLeaseClient().grant(3600).get(30, TimeUnit.SECONDS).getID();
            for (int g = 0; g < groups; g++) {
                client.getKVClient().put(bytes("/service/" + SCOPE + "/" + g + "/leader"), bytes(name(g, 0)),
                        PutOption.builder().withLeaseId(lease).build()).get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static void watch(KafkaBroker kafka, Map<String, Long> triggers, List<Long> latencies,
                              List<DeciderActive> takeovers, AtomicBoolean running) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-" + System.nanoTime());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, Decoded<Event>> consumer = new KafkaConsumer<>(properties, new StringDeserializer(),
                new EventDeserializer())) {
            consumer.subscribe(List.of(Topics.DEFAULT.log()));
            while (running.get()) {
                for (ConsumerRecord<String, Decoded<Event>> record : consumer.poll(Duration.ofMillis(200))) {
                    if (!(record.value() instanceof Decoded.Ok<Event> ok)) {
                        continue;
                    }
                    if (ok.value() instanceof CommandIssued issued && issued.command() instanceof Command.Restart restart) {
                        Long trigger = triggers.remove(restart.header().group().key());
                        if (trigger != null) {
                            latencies.add(record.timestamp() - trigger);
                        }
                    } else if (ok.value() instanceof DeciderActive active) {
                        takeovers.add(active);
                    }
                }
            }
        }
    }

    private static void report(String what, List<Long> latencies, int probes) {
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        if (sorted.isEmpty()) {
            System.out.println(what + ": no decision seen");
            return;
        }
        System.out.printf(Locale.ROOT, "%s: %d of %d probes decided; p50 %d ms, p90 %d ms, p99 %d ms, max %d ms%n",
                what, sorted.size(), probes, at(sorted, 0.5), at(sorted, 0.9), at(sorted, 0.99),
                sorted.get(sorted.size() - 1));
    }

    private static long at(List<Long> sorted, double quantile) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(quantile * sorted.size()) - 1));
    }

    private static KafkaProducer<String, Event> producer(KafkaBroker kafka) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        properties.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(properties, new StringSerializer(), new EventSerializer());
    }

    private static void send(KafkaProducer<String, Event> producer, Event event) {
        GroupId group = switch (event) {
            case MemberRegistered e -> e.group();
            case MemberObserved e -> e.group();
            case ClusterInitialized e -> e.group();
            default -> throw new IllegalArgumentException(event.toString());
        };
        producer.send(new ProducerRecord<>(Topics.DEFAULT.facts(), group.key(), event)); // as agents hand them in
    }

    private static String name(int group, int member) {
        return "g" + group + "m" + member;
    }

    private static Endpoints endpoints(int group, int member) {
        return new Endpoints("http://10.0.0.1:8008", name(group, member), 5432);
    }

    private static Observation primary(long lsn, int group) {
        List<ReplicationPeer> peers = List.of(
                new ReplicationPeer(name(group, 1), "streaming", "async", new Lsn(lsn), new Lsn(lsn)),
                new ReplicationPeer(name(group, 2), "streaming", "async", new Lsn(lsn), new Lsn(lsn)));
        return new Observation(Role.PRIMARY, PgState.RUNNING, 1, new Lsn(lsn), new Lsn(lsn), null, null, null, null,
                false, Map.of(), peers, 42L, "", Instant.EPOCH, 1, null, null);
    }

    private static Observation replica(long lsn, String upstream) {
        return new Observation(Role.REPLICA, PgState.RUNNING, 1, null, null, new Lsn(lsn), new Lsn(lsn), "streaming",
                upstream, false, Map.of(), List.of(), 42L, null, Instant.EPOCH, 1, null, null);
    }

    private static Observation crashed(long lsn) {
        return new Observation(Role.PRIMARY, PgState.CRASHED, 1, new Lsn(lsn), new Lsn(lsn), null, null, null, null,
                false, Map.of(), List.of(), 42L, null, null, 1, null, null);
    }

    private static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }
}
