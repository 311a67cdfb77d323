package io.steward.testkit.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.steward.testkit.Await;
import io.steward.testkit.Testbed;
import io.steward.testkit.Timing;

/**
 * A secured broker refuses strangers, wrong passwords and plaintext, and lets a user do exactly
 * what its ACLs allow. One broker for the class; every test has its own users and topics.
 */
class KafkaSecurityIT {

    @RegisterExtension
    static final Testbed testbed = new Testbed();

    /** How long a client that never gets an answer waits before the test calls it refused. */
    private static final Duration NO_ANSWER = Duration.ofSeconds(3);

    private static KafkaBroker kafka;
    private static KafkaPrincipals principals;
    private static Admin admin;

    @BeforeAll
    static void startSecuredBroker() {
        kafka = testbed.kafka().secured().start();
        principals = kafka.principals();
        admin = Admin.create(withBootstrap(kafka.adminProperties()));
    }

    @AfterAll
    static void closeClients() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
        if (principals != null) {
            principals.close();
        }
    }

    @Test
    void refusesAnUnknownUserAndAWrongPassword() throws Exception {
        String topic = createTopic("a.facts");
        principals.createUser("alice", "alice-password");
        principals.grant(KafkaAcls.forUser("alice").writeTopics("a."));

        assertThatThrownBy(() -> produce(kafka.clientProperties("alice", "not-her-password"), topic))
                .isInstanceOf(SaslAuthenticationException.class);
        assertThatThrownBy(() -> produce(kafka.clientProperties("mallory", "alice-password"), topic))
                .isInstanceOf(SaslAuthenticationException.class);
        assertThat(endOffset(topic)).isZero();

        produce(kafka.clientProperties("alice", "alice-password"), topic);
        assertThat(endOffset(topic)).isEqualTo(1);
    }

    @Test
    void refusesAClientWithoutCredentials() throws Exception {
        String topic = createTopic("e.facts");
        Map<String, String> tlsOnly = new HashMap<>(kafka.clientProperties("nobody", "none"));
        tlsOnly.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SSL");
        tlsOnly.remove("sasl.mechanism");
        tlsOnly.remove("sasl.jaas.config");
        long mark = kafka.log().mark();

        assertThatThrownBy(() -> produce(tlsOnly, topic)).isInstanceOf(TimeoutException.class);
        assertThat(endOffset(topic)).isZero();
        assertThat(kafka.log().containsSince(mark, "during SASL handshake")).isTrue();
    }

    @Test
    void aPlaintextClientCannotTalkToTheTlsListener() throws Exception {
        String topic = createTopic("p.facts");
        principals.createUser("paul", "paul-password");
        principals.grant(KafkaAcls.forUser("paul").writeTopics("p."));
        Map<String, String> plaintext = new HashMap<>(kafka.clientProperties("paul", "paul-password"));
        plaintext.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
        long mark = kafka.log().mark();

        assertThatThrownBy(() -> produce(plaintext, topic)).isInstanceOf(TimeoutException.class);
        assertThatThrownBy(() -> produce(Map.of(), topic)).isInstanceOf(TimeoutException.class);
        assertThat(endOffset(topic)).isZero();
        assertThat(kafka.log().containsSince(mark, "(SSL handshake failed)")).isTrue();
    }

    @Test
    void hostnameVerificationRefusesANameTheCertificateDoesNotCarry() {
        String topic = createTopic("h.facts");
        principals.createUser("hank", "hank-password");
        principals.grant(KafkaAcls.forUser("hank").writeTopics("h."));
        String port = kafka.bootstrapServers().substring(kafka.bootstrapServers().lastIndexOf(':') + 1);

        assertThatThrownBy(() -> produce(kafka.clientProperties("hank", "hank-password"), "localhost:" + port, topic))
                .isInstanceOf(SslAuthenticationException.class);
    }

    @Test
    void aUserWithoutAclsIsDeniedUntilGrantedWriteOnTheTopicPrefix() throws Exception {
        String topic = createTopic("b.facts");
        principals.createUser("bob", "bob-password");
        Map<String, String> bob = kafka.clientProperties("bob", "bob-password");

        assertThatThrownBy(() -> produce(bob, topic)).isInstanceOf(TopicAuthorizationException.class);
        assertThat(endOffset(topic)).isZero();

        principals.grant(KafkaAcls.forUser("bob").writeTopics("b."));
        produce(bob, topic);
        assertThat(endOffset(topic)).isEqualTo(1);
    }

    @Test
    void aReadOnlyUserConsumesButCannotProduce() throws Exception {
        String topic = createTopic("c.facts");
        principals.createUser("writer", "writer-password");
        principals.grant(KafkaAcls.forUser("writer").writeTopics("c."));
        produce(kafka.clientProperties("writer", "writer-password"), topic);
        principals.createUser("auditor", "auditor-password");
        principals.grant(KafkaAcls.forUser("auditor").readTopics("c.").readGroups("c-audit"));
        Map<String, String> auditor = kafka.clientProperties("auditor", "auditor-password");

        assertThat(consume(auditor, "c-audit", topic, false)).containsExactly("value");
        // an idempotent producer (the default) is refused its producer id before it writes anything
        assertThatThrownBy(() -> produce(auditor, topic)).isInstanceOf(ClusterAuthorizationException.class);
        assertThatThrownBy(() -> produce(with(auditor, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false"), topic))
                .isInstanceOf(TopicAuthorizationException.class);
        assertThat(endOffset(topic)).isEqualTo(1);
    }

    @Test
    void aTransactionalProducerNeedsTheTransactionalIdAcl() throws Exception {
        String topic = createTopic("d.decisions");
        principals.createUser("decider", "decider-password");
        principals.grant(KafkaAcls.forUser("decider").writeTopics("d."));
        Map<String, String> decider = kafka.clientProperties("decider", "decider-password");

        KafkaProducer<String, String> refused = producer(decider, kafka.bootstrapServers(), "steward-decider-1");
        try {
            assertThatThrownBy(refused::initTransactions).isInstanceOf(TransactionalIdAuthorizationException.class);
        } finally {
            refused.close(Duration.ofSeconds(5));
        }

        principals.grant(KafkaAcls.forUser("decider").transactionalIds("steward-decider-"));
        KafkaProducer<String, String> allowed = producer(decider, kafka.bootstrapServers(), "steward-decider-1");
        try {
            allowed.initTransactions();
            allowed.beginTransaction();
            allowed.send(new ProducerRecord<>(topic, "demo/0", "decided")).get();
            allowed.commitTransaction();
        } finally {
            allowed.close(Duration.ofSeconds(5));
        }
        // the commit marker may land a moment after commitTransaction returns: read until it has
        Await.until("the committed record readable", Duration.ofSeconds(20),
                () -> !consume(kafka.adminProperties(), null, topic, true).isEmpty());
        assertThat(consume(kafka.adminProperties(), null, topic, true)).containsExactly("decided");
    }

    private static String createTopic(String name) {
        try {
            admin.createTopics(List.of(new NewTopic(name, 1, (short) 1))).all().get();
        } catch (ExecutionException | InterruptedException e) {
            throw new IllegalStateException("cannot create " + name, e);
        }
        return name;
    }

    private static long endOffset(String topic) throws Exception {
        TopicPartition partition = new TopicPartition(topic, 0);
        return admin.listOffsets(Map.of(partition, OffsetSpec.latest())).partitionResult(partition).get().offset();
    }

    private static void produce(Map<String, String> client, String topic) throws Exception {
        produce(client, kafka.bootstrapServers(), topic);
    }

    /** Sends one record and waits for it; a failure is thrown as the producer's own exception. */
    private static void produce(Map<String, String> client, String bootstrap, String topic) throws Exception {
        KafkaProducer<String, String> producer = producer(client, bootstrap, null);
        try {
            producer.send(new ProducerRecord<>(topic, "demo/0", "value")).get();
        } catch (ExecutionException e) {
            throw (Exception) e.getCause();
        } finally {
            producer.close(Duration.ofSeconds(5));
        }
    }

    private static KafkaProducer<String, String> producer(Map<String, String> client, String bootstrap,
                                                          String transactionalId) {
        Map<String, Object> config = new HashMap<>(client);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(Timing.scaled(NO_ANSWER).toMillis()));
        if (transactionalId != null) {
            config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        }
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    /** Reads the whole topic from the start, committing the position in {@code group} when given. */
    private static List<String> consume(Map<String, String> client, String group, String topic, boolean readCommitted) {
        Map<String, Object> config = new HashMap<>(client);
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        if (group != null) {
            config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        if (readCommitted) {
            config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        }
        TopicPartition partition = new TopicPartition(topic, 0);
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(Set.of(partition));
            consumer.seekToBeginning(Set.of(partition));
            long end = consumer.endOffsets(Set.of(partition)).get(partition);
            long deadline = System.nanoTime() + Timing.seconds(20).toNanos();
            while (consumer.position(partition) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                    values.add(record.value());
                }
            }
            if (group != null) {
                consumer.commitSync();
            }
        }
        return values;
    }

    private static Map<String, String> with(Map<String, String> client, String key, String value) {
        Map<String, String> more = new HashMap<>(client);
        more.put(key, value);
        return more;
    }

    private static Map<String, Object> withBootstrap(Map<String, String> client) {
        Map<String, Object> config = new HashMap<>(client);
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        return config;
    }
}
