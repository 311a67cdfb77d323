package io.steward.decider;

import static io.steward.testkit.cluster.TestCluster.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.steward.core.event.DeciderEvent.ScheduledActionSet;
import io.steward.core.event.DeciderEvent.SwitchoverCompleted;
import io.steward.core.event.OperatorRequest.SwitchoverRequested;
import io.steward.testkit.Await;
import io.steward.testkit.Testbed;
import io.steward.testkit.cluster.TestCluster;
import io.steward.testkit.agent.AgentNode;
import io.steward.testkit.decider.DeciderNode;

/**
 * Planned changes of leader through the decision service's API: to a named candidate, to any
 * candidate, at a scheduled time, refused while paused, and a manual failover to a named replica.
 * Each leaves one primary with the other two streaming from it, and loses no committed row.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SwitchoverIT {

    @RegisterExtension
    static final Testbed testbed = new Testbed();

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    private static TestCluster group;
    private static DeciderNode decider;
    private AgentNode primary;
    private String rows;

    @BeforeAll
    static void start() {
        group = new TestCluster(testbed);
        decider = group.decider("d1");
        group.agent("pg1");
        group.agent("pg2");
        group.agent("pg3");
        group.awaitHealthy(2).sql().execute("CREATE TABLE marks (n int)");
    }

    @AfterAll
    static void close() {
        if (group != null) {
            group.close();
        }
    }

    @BeforeEach
    void currentPrimary() {
        Await.until("no change of leader in progress", TIMEOUT, () -> !TestCluster.view(decider).has("leader_change"));
        primary = group.awaitHealthy(2);
        primary.sql().execute("INSERT INTO marks VALUES (1)");
        rows = primary.sql().queryValue("SELECT count(*) FROM marks");
    }

    private static HttpResponse<String> post(String path, String json) {
        return decider.send("POST", "/v1/scopes/demo" + path, json);
    }

    private AgentNode aReplica() {
        return group.agents().stream().filter(a -> a != primary).findFirst().orElseThrow();
    }

    /** Waits for {@code expected} to lead with the others streaming, and checks no row was lost. */
    private void awaitLeader(AgentNode expected) {
        Await.until(expected.name() + " leads with two replicas", TIMEOUT,
                () -> group.writable().equals(List.of(expected.name())) && streaming(expected) == 2);
        assertThat(expected.sql().queryValue("SELECT count(*) FROM marks")).isEqualTo(rows);
    }

    private static int streaming(AgentNode node) {
        try {
            return TestCluster.streamingFrom(node).size();
        } catch (RuntimeException e) {
            return 0;
        }
    }

    @Test
    @Order(1)
    void switchoverToANamedCandidate() {
        AgentNode candidate = aReplica();
        HttpResponse<String> response = post("/switchover",
                "{\"leader\": \"" + primary.name() + "\", \"candidate\": \"" + candidate.name() + "\"}");

        assertThat(response.statusCode()).as(response.body()).isBetween(200, 202);
        awaitLeader(candidate);
        SwitchoverCompleted completed = group.log().await("the switchover completed", SwitchoverCompleted.class,
                c -> c.to().equals(candidate.name()), TIMEOUT);
        assertThat(completed.from()).isEqualTo(primary.name());
        SwitchoverRequested asked = group.log().await("the request", SwitchoverRequested.class,
                r -> candidate.name().equals(r.candidate()), TIMEOUT);
        assertThat(asked.header().actor()).isEqualTo("test@127.0.0.1");
    }

    @Test
    @Order(2)
    void switchoverToAnyCandidate() {
        HttpResponse<String> response = post("/switchover", "{\"leader\": \"" + primary.name() + "\"}");

        assertThat(response.statusCode()).as(response.body()).isBetween(200, 202);
        AgentNode next = Await.value("another leader", TIMEOUT, () -> {
            List<String> writable = group.writable();
            return writable.size() == 1 && !writable.get(0).equals(primary.name())
                    ? java.util.Optional.of(group.member(writable.get(0))) : java.util.Optional.empty();
        });
        awaitLeader(next);
    }

    @Test
    @Order(3)
    void aScheduledSwitchoverHappensAtItsTime() {
        AgentNode candidate = aReplica();
        Instant at = Instant.now().plusSeconds(8);

        HttpResponse<String> response = post("/switchover", "{\"leader\": \"" + primary.name()
                + "\", \"candidate\": \"" + candidate.name() + "\", \"scheduled_at\": \"" + at + "\"}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(response.body()).startsWith("Switchover scheduled at");
        group.log().await("the schedule recorded", ScheduledActionSet.class, s -> true, TIMEOUT);
        assertThat(TestCluster.view(decider).get("scheduled_switchover").get("to").asText()).isEqualTo(candidate.name());
        Await.sleep(Duration.ofSeconds(4));
        assertThat(group.writable()).as("not before its time").containsExactly(primary.name());
        awaitLeader(candidate);
        assertThat(Instant.now()).isAfterOrEqualTo(at);
    }

    @Test
    @Order(4)
    void aSwitchoverWithoutCandidateIsRefusedWhilePaused() {
        HttpResponse<String> paused = post("/pause", "{}");
        assertThat(paused.statusCode()).as(paused.body()).isEqualTo(200);
        try {
            HttpResponse<String> refused = post("/switchover", "{\"leader\": \"" + primary.name() + "\"}");

            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(refused.body()).isEqualTo("Switchover is possible only to a specific candidate in a paused state");
            assertThat(TestCluster.view(decider).get("pause").asBoolean()).isTrue();
            assertThat(group.writable()).containsExactly(primary.name());
        } finally {
            HttpResponse<String> resumed = post("/resume", "{}");
            assertThat(resumed.statusCode()).as(resumed.body()).isEqualTo(200);
        }
    }

    @Test
    @Order(5)
    void aManualFailoverToANamedReplica() {
        AgentNode candidate = aReplica();

        HttpResponse<String> response = post("/failover", "{\"candidate\": \"" + candidate.name() + "\"}");

        assertThat(response.statusCode()).as(response.body()).isBetween(200, 202);
        awaitLeader(candidate);
    }

    @Test
    @Order(6)
    void badRequestsAreRefusedWithAMessage() {
        assertThat(post("/switchover", "{\"candidate\": \"pg2\"}").body())
                .isEqualTo("Switchover could be performed only from a specific leader");
        assertThat(post("/failover", "{\"candidate\": \"nobody\"}").statusCode()).isEqualTo(412);
        HttpResponse<String> malformed = post("/switchover", "{not json");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(decider.send("POST", "/v1/scopes/nowhere/switchover", "{\"leader\": \"x\"}").statusCode())
                .isEqualTo(404);
    }

    @Test
    @Order(7)
    void aConfigurationPatchNeedsTheVersionItWasMadeFor() throws Exception {
        long version = JSON.readTree(decider.get("/v1/scopes/demo/config").orElseThrow().body())
                .get("version").asLong();

        HttpResponse<String> applied = patch("{\"maximum_lag_on_failover\": 2097152}", version);
        HttpResponse<String> stale = patch("{\"maximum_lag_on_failover\": 4194304}", version);

        assertThat(applied.statusCode()).as(applied.body()).isEqualTo(200);
        assertThat(stale.statusCode()).as(stale.body()).isEqualTo(409);
        var config = JSON.readTree(decider.get("/v1/scopes/demo/config").orElseThrow().body());
        assertThat(config.get("version").asLong()).isEqualTo(version + 1);
        assertThat(config.get("config").get("maximum_lag_on_failover").asLong()).isEqualTo(2097152);
    }

    private static HttpResponse<String> patch(String json, long version) {
        return decider.send("PATCH", "/v1/scopes/demo/config", json, java.util.Map.of("If-Match", "\"" + version + "\""));
    }
}
