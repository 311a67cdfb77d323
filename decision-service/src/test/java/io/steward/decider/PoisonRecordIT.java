package io.steward.decider;

import static io.steward.testkit.cluster.TestCluster.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.steward.events.kafka.DeadLetters;
import io.steward.events.kafka.Topics;
import io.steward.testkit.Await;
import io.steward.testkit.Testbed;
import io.steward.testkit.cluster.TestCluster;
import io.steward.testkit.decider.DeciderNode;

/** A record on the log that is no event goes to the dead-letter topic, and the decider carries on. */
class PoisonRecordIT {

    @RegisterExtension
    static final Testbed testbed = new Testbed();

    private static TestCluster group;

    @AfterAll
    static void close() {
        if (group != null) {
            group.close();
        }
    }

    @Test
    void aPoisonRecordIsDeadLetteredAndTheDeciderCarriesOn() {
        group = new TestCluster(testbed);
        DeciderNode decider = group.decider("d1");
        group.agent("pg1");
        group.awaitHealthy(0);

        Properties producer = new Properties();
        producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, group.kafka().bootstrapServers());
        try (KafkaProducer<byte[], byte[]> poison = new KafkaProducer<>(producer, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            poison.send(new ProducerRecord<>(Topics.DEFAULT.log(), "demo/0".getBytes(StandardCharsets.UTF_8),
                    new byte[] {(byte) 0xC3, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 42})).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }

        ConsumerRecord<byte[], byte[]> letter = deadLetter(group);
        assertThat(header(letter, DeadLetters.SOURCE_TOPIC)).isEqualTo(Topics.DEFAULT.log());
        assertThat(header(letter, DeadLetters.CONSUMER)).isEqualTo("decider d1");
        assertThat(header(letter, DeadLetters.REASON)).isNotBlank();
        assertThat(new String(letter.key(), StandardCharsets.UTF_8)).isEqualTo("demo/0");

        // still folding and deciding: a request is answered
        var paused = decider.send("POST", "/v1/scopes/demo/pause", "{}");
        assertThat(paused.statusCode()).as(paused.body()).isEqualTo(200);
        var resumed = decider.send("POST", "/v1/scopes/demo/resume", "{}");
        assertThat(resumed.statusCode()).as(resumed.body()).isEqualTo(200);
        assertThat(decider.log().tail(500)).contains("cannot be read and is skipped");
    }

    private static ConsumerRecord<byte[], byte[]> deadLetter(TestCluster group) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, group.kafka().bootstrapServers());
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(Topics.DEFAULT.deadLetter(), 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            return Await.value("a dead letter", TIMEOUT, () -> {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    return Optional.of(record);
                }
                return Optional.empty();
            });
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

}
