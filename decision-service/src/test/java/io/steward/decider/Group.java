package io.steward.decider;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.steward.events.kafka.Topics;
import io.steward.testkit.Await;
import io.steward.testkit.Testbed;
import io.steward.testkit.agent.AgentNode;
import io.steward.testkit.decider.DeciderNode;
import io.steward.testkit.etcd.EtcdNode;
import io.steward.testkit.kafka.KafkaBroker;
import io.steward.testkit.log.LogTap;
import io.steward.testkit.postgres.Sql;

/**
 * A whole group on real components, as the decision service's integration tests need it: etcd,
 * a Kafka broker, deciders, and three agents on empty data directories, plus the log read from
 * its beginning and the questions the tests ask (who is primary, who streams from whom).
 */
final class Group {

    static final Duration TIMEOUT = Duration.ofSeconds(120);
    static final ObjectMapper JSON = new ObjectMapper();

    final Testbed testbed;
    final EtcdNode etcd;
    final KafkaBroker kafka;
    final List<DeciderNode> deciders = new ArrayList<>();
    final List<AgentNode> agents = new ArrayList<>();
    LogTap log;

    Group(Testbed testbed) {
        this.testbed = testbed;
        this.etcd = testbed.etcd().start();
        this.kafka = testbed.kafka().start();
    }

    DeciderNode decider(String name, String... jvmOptions) {
        DeciderNode.Builder builder = testbed.decider(name).etcd(etcd).kafka(kafka);
        for (String option : jvmOptions) {
            builder.jvmOption(option);
        }
        DeciderNode decider = builder.start();
        deciders.add(decider);
        if (log == null) {
            log = LogTap.open(kafka.bootstrapServers(), Topics.DEFAULT.log()); // the decider made the topics
        }
        return decider;
    }

    AgentNode agent(String name) {
        AgentNode agent = testbed.agent(name).etcd(etcd).kafka(kafka).start();
        agents.add(agent);
        return agent;
    }

    AgentNode agent(String name, Map<String, String> tags) {
        AgentNode.Builder builder = testbed.agent(name).etcd(etcd).kafka(kafka);
        tags.forEach(builder::tag);
        AgentNode agent = builder.start();
        agents.add(agent);
        return agent;
    }

    AgentNode member(String name) {
        return agents.stream().filter(a -> a.name().equals(name)).findFirst().orElseThrow();
    }

    /** The agents whose PostgreSQL accepts writes now. */
    List<String> writable() {
        List<String> writable = new ArrayList<>();
        for (AgentNode agent : agents) {
            if (agent.isRunning() && isWritable(agent.sql())) {
                writable.add(agent.name());
            }
        }
        return writable;
    }

    static boolean isWritable(Sql sql) {
        try {
            return "f".equals(sql.queryValue("SELECT pg_is_in_recovery()"));
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Waits until exactly one member accepts writes and every other running member streams from it. */
    AgentNode awaitHealthy(int replicas) {
        return Await.value("one primary and " + replicas + " streaming replicas", TIMEOUT, () -> {
            List<String> writable = writable();
            if (writable.size() != 1) {
                return Optional.empty();
            }
            AgentNode primary = member(writable.get(0));
            try {
                List<String> streaming = streamingFrom(primary);
                return streaming.size() == replicas ? Optional.of(primary) : Optional.empty();
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        });
    }

    /** The members that stream from {@code primary} now (not pg_basebackup's WAL stream of a clone). */
    static List<String> streamingFrom(AgentNode primary) {
        return primary.sql().queryColumn("SELECT application_name FROM pg_stat_replication WHERE state = 'streaming' "
                + "AND application_name <> 'pg_basebackup' ORDER BY 1");
    }

    /** {@code GET /v1/scopes/demo} from {@code decider}. */
    static JsonNode cluster(DeciderNode decider) {
        try {
            return JSON.readTree(decider.get("/v1/scopes/demo").orElseThrow().body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The decider that says it leads. */
    DeciderNode leader() {
        return Await.value("a leading decider", TIMEOUT,
                () -> deciders.stream().filter(DeciderNode::isRunning).filter(DeciderNode::isLeader).findFirst());
    }

    void close() {
        if (log != null) {
            log.close();
        }
    }

    static void assertOneWriter(Group group) {
        assertThat(group.writable()).hasSizeLessThanOrEqualTo(1);
    }
}
