package io.steward.agent;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.steward.core.command.Command;
import io.steward.core.event.AgentEvent.CommandOutcome;
import io.steward.core.event.AgentEvent.Outcome;
import io.steward.core.model.Endpoints;
import io.steward.core.model.GroupId;
import io.steward.events.kafka.TopicLayout;
import io.steward.events.kafka.Topics;
import io.steward.testkit.agent.AgentNode;
import io.steward.testkit.etcd.EtcdNode;
import io.steward.testkit.kafka.KafkaBroker;
import io.steward.testkit.log.LogTap;

/** What the agents' integration tests share: the topics, the log, HTTP, etcd and outcomes. */
final class AgentFixtures {

    static final GroupId GROUP = new GroupId("demo", 0);
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(120);
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private AgentFixtures() {
    }

    /** Closes whichever of {@code clients} were opened. */
    static void close(AutoCloseable... clients) throws Exception {
        for (AutoCloseable client : clients) {
            if (client != null) {
                client.close();
            }
        }
    }

    static void createTopics(KafkaBroker kafka) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            new TopicLayout(3, (short) 1).create(admin, Topics.DEFAULT);
        }
    }

    static Endpoints endpoints(AgentNode agent) {
        return new Endpoints(agent.restUrl(), "127.0.0.1", agent.pgPort());
    }

    /** Waits for the agent's answer to {@code command}. */
    static CommandOutcome outcome(LogTap log, Command command) {
        return log.await(command.kind() + " " + command.id() + " answered by " + command.member(), CommandOutcome.class,
                outcome -> outcome.commandId().equals(command.id()), COMMAND_TIMEOUT);
    }

    /** Waits for {@code command} to be carried out; fails with the agent's reason otherwise. */
    static CommandOutcome acknowledged(LogTap log, Command command) {
        CommandOutcome outcome = outcome(log, command);
        if (outcome.outcome() != Outcome.ACKNOWLEDGED) {
            throw new AssertionError(command.kind() + " on " + command.member() + " was " + outcome.outcome() + ": "
                    + outcome.detail());
        }
        return outcome;
    }

    /** The HTTP status of {@code method path} on the agent's REST API. */
    static int status(AgentNode agent, String method, String path) {
        return send(agent, method, path, null, null).statusCode();
    }

    static HttpResponse<String> get(AgentNode agent, String path) {
        return send(agent, "GET", path, null, null);
    }

    static HttpResponse<String> send(AgentNode agent, String method, String path, String body, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(agent.restUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Who holds the group's leader key in etcd, or null. */
    static String leaderKeyHolder(EtcdNode etcd) {
        try (Client client = Client.builder().endpoints(etcd.endpoint()).build()) {
            var kvs = client.getKVClient().get(ByteSequence.from("/service/demo/0/leader", StandardCharsets.UTF_8))
                    .get(10, TimeUnit.SECONDS).getKvs();
            return kvs.isEmpty() ? null : kvs.get(0).getValue().toString(StandardCharsets.UTF_8);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the leader key: " + e.getMessage(), e);
        }
    }
}
