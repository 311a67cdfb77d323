package io.steward.system;

import static io.steward.testkit.cluster.TestCluster.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.steward.core.command.Command;
import io.steward.core.command.CommandHeader;
import io.steward.core.event.AgentEvent.MemberStateChanged;
import io.steward.core.event.AgentEvent.StateChange;
import io.steward.core.event.DeciderEvent.DeciderElected;
import io.steward.core.event.DeciderEvent.FailoverDecided;
import io.steward.core.model.GroupId;
import io.steward.core.model.PgState;
import io.steward.core.model.Role;
import io.steward.events.codec.EventCodec;
import io.steward.events.kafka.DeadLetters;
import io.steward.events.kafka.FactSeal;
import io.steward.events.kafka.KeyFiles;
import io.steward.events.kafka.Topics;
import io.steward.testkit.Await;
import io.steward.testkit.Testbed;
import io.steward.testkit.agent.AgentNode;
import io.steward.testkit.cluster.TestCluster;

/**
 * The control plane secured as docs/operations.md ("Security") says, on a broker with SASL/SCRAM
 * over TLS and the StandardAuthorizer: every decider and agent logs in with a principal of its own
 * that has only its role's ACLs, and facts are sealed with each agent's key (ADR 7). An agent's
 * credentials cannot write a decision or a command (Kafka refuses them), nor hand in a fact about
 * another member, a fact in another member's name, an unsealed fact or a decider's record (the
 * decider refuses and dead-letters each), and the group still fails over and switches over with
 * everything authenticated.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecurityIT {

    @RegisterExtension
    static final Testbed testbed = new Testbed();

    private static final GroupId DEMO = new GroupId("demo", 0);
    private static TestCluster cluster;
    private static AgentNode primary;
    private static AgentNode replica;

    @BeforeAll
    static void start() {
        cluster = TestCluster.secured(testbed);
        cluster.decider("d1");
        cluster.decider("d2");
        for (String name : List.of("pg1", "pg2", "pg3")) {
            cluster.agent(name);
        }
        primary = cluster.awaitHealthy(2);
        replica = cluster.agents().stream().filter(agent -> agent != primary).findFirst().orElseThrow();
    }

    @AfterAll
    static void close() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void anAgentsPrincipalCannotWriteADecisionOrACommand() {
        long commandsEnd = endOffsets(Topics.DEFAULT.commands());
        Map<String, String> agent = cluster.security().agentKafka(replica.name());

        assertThatThrownBy(() -> send(agent, new ProducerRecord<>(Topics.DEFAULT.log(), bytes(Topics.CONTROL_KEY),
                EventCodec.encode(new DeciderElected(Long.MAX_VALUE / 2, "rogue")))))
                .as("a DeciderElected written to the log by an agent").isInstanceOf(AuthorizationException.class)
                .hasMessageContaining(Topics.DEFAULT.log());
        Command promote = new Command.Promote(new CommandHeader("forged-1", Long.MAX_VALUE / 2, DEMO, replica.name()), null);
        assertThatThrownBy(() -> send(agent, new ProducerRecord<>(Topics.DEFAULT.commands(), bytes(DEMO.key()),
                EventCodec.encode(promote))))
                .as("a Promote written to the commands by an agent").isInstanceOf(AuthorizationException.class)
                .hasMessageContaining(Topics.DEFAULT.commands());

        Await.sleep(Duration.ofSeconds(1)); // the log moves on with admitted heartbeats; none of it is the agent's
        assertThat(cluster.log().events(DeciderElected.class)).noneMatch(e -> e.instance().equals("rogue"));
        assertThat(endOffsets(Topics.DEFAULT.commands())).as("the commands topic").isEqualTo(commandsEnd);
    }

    @Test
    @Order(2)
    void factsForgedWithAnAgentsCredentialsAreRefusedAndDeadLettered() throws Exception {
        Map<String, String> agent = cluster.security().agentKafka(replica.name());
        byte[] replicaKey = KeyFiles.read(cluster.security().agentKeyFile("demo", replica.name()), "key");
        String replicaWriter = FactSeal.member("demo", replica.name());
        int mark = cluster.log().mark();

        send(agent, FactSeal.fact(Topics.DEFAULT.facts(), replicaWriter, replicaKey, DEMO.key(),
                crashed(primary.name(), "forged-about-another")));
        send(agent, FactSeal.fact(Topics.DEFAULT.facts(), FactSeal.member("demo", primary.name()), replicaKey,
                DEMO.key(), crashed(primary.name(), "forged-in-another's-name")));
        send(agent, FactSeal.fact(Topics.DEFAULT.facts(), replicaWriter, replicaKey, Topics.CONTROL_KEY,
                new DeciderElected(Long.MAX_VALUE / 2, "rogue")));
        send(agent, FactSeal.fact(Topics.DEFAULT.facts(), FactSeal.member("demo", primary.name()), null, DEMO.key(),
                crashed(primary.name(), "forged-unsealed")));

        List<String> reasons = deadLetterReasons(4);
        assertThat(reasons).anyMatch(r -> r.contains("stated by " + replicaWriter + ", which may not state it"))
                .anyMatch(r -> r.contains("the seal does not verify for member:demo/" + primary.name()))
                .anyMatch(r -> r.contains("a DeciderElected is no fact"))
                .anyMatch(r -> r.contains("not sealed"));
        Await.sleep(Duration.ofSeconds(2));
        assertThat(cluster.log().records().subList(mark, cluster.log().mark()))
                .noneMatch(r -> r.event() instanceof MemberStateChanged e && e.incarnation().startsWith("forged"))
                .noneMatch(r -> r.event() instanceof DeciderElected e && e.instance().equals("rogue"));
        assertThat(cluster.log().events(FailoverDecided.class)).as("failovers").isEmpty();
        assertThat(cluster.writable()).containsExactly(primary.name());
    }

    @Test
    @Order(3)
    void withEverythingAuthenticatedTheGroupFailsOverAndSwitchesOver() {
        cluster.killHost(primary);
        AgentNode promoted = cluster.awaitHealthy(1);
        assertThat(promoted.name()).isNotEqualTo(primary.name());
        primary.start();
        AgentNode leader = cluster.awaitHealthy(2);

        var answer = cluster.leader().send("POST", "/v1/scopes/demo/switchover", "{\"leader\": \"" + leader.name() + "\"}");
        assertThat(answer.statusCode()).as(answer.body()).isLessThan(300);
        Await.until("another leader after the switchover", TIMEOUT,
                () -> !cluster.awaitHealthy(2).name().equals(leader.name()));
        cluster.log().assertNoUndecodable();
    }

    private static MemberStateChanged crashed(String member, String incarnation) {
        return new MemberStateChanged(DEMO, member, incarnation, StateChange.CRASHED, Role.PRIMARY, PgState.CRASHED, 1,
                null, "forged");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static void send(Map<String, String> client, ProducerRecord<byte[], byte[]> record) throws Exception {
        Map<String, Object> config = new HashMap<>(client);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafka().bootstrapServers());
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "10000");
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.send(record).get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof KafkaException kafka ? kafka : e;
        }
    }

    private static long endOffsets(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = observer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private static List<String> deadLetterReasons(int count) {
        List<String> reasons = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = observer()) {
            TopicPartition partition = new TopicPartition(Topics.DEFAULT.deadLetter(), 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            Await.value(count + " dead letters", TIMEOUT, () -> {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    reasons.add(new String(record.headers().lastHeader(DeadLetters.REASON).value(), StandardCharsets.UTF_8));
                }
                return reasons.size() >= count ? Optional.of(reasons) : Optional.empty();
            });
        }
        return reasons;
    }

    private static KafkaConsumer<byte[], byte[]> observer() {
        Map<String, Object> config = new HashMap<>(cluster.security().observerKafka());
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafka().bootstrapServers());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
