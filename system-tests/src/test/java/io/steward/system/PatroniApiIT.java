package io.steward.system;

import static io.steward.testkit.cluster.TestCluster.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.steward.core.event.DeciderEvent;
import io.steward.core.event.OperatorRequest;
import io.steward.testkit.Await;
import io.steward.testkit.Testbed;
import io.steward.testkit.agent.AgentNode;
import io.steward.testkit.cluster.TestCluster;

/**
 * Patroni's {@code patroni_api.feature}, against the agents' REST API: health checks on a lone
 * leader and on a primary-replica pair, the refusals with Patroni's status codes, reload (also by
 * SIGHUP), a dynamic configuration change that needs a restart, and a switchover through the API in
 * maintenance mode that answers 200 once done.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PatroniApiIT {

    @RegisterExtension
    static final Testbed testbed = new Testbed();

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static TestCluster cluster;
    private static Stewardctl stewardctl;
    private static AgentNode pg1;

    @BeforeAll
    static void start() {
        cluster = TestCluster.of(testbed, 1, "pg1");
        pg1 = cluster.member("pg1");
        cluster.awaitHealthy(0);
        stewardctl = new Stewardctl(cluster.deciders());
    }

    @AfterAll
    static void close() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void aLoneLeaderAnswersAsPatroniDoes() throws IOException {
        Await.until("pg1 reports as the running primary", TIMEOUT, () -> get(pg1, "/").statusCode() == 200);
        JsonNode status = JSON.readTree(get(pg1, "/").body());
        assertThat(status.get("state").asText()).isEqualTo("running");
        assertThat(status.get("role").asText()).isEqualTo("primary");

        assertThat(get(pg1, "/standby_leader").statusCode()).isEqualTo(503);
        assertThat(get(pg1, "/health").statusCode()).isEqualTo(200);
        assertThat(get(pg1, "/replica").statusCode()).isEqualTo(503);
        assertThat(get(pg1, "/primary").statusCode()).isEqualTo(200);

        HttpResponse<String> reinit = post(pg1, "/reinitialize", "{\"force\": true}");
        assertThat(reinit.statusCode()).isEqualTo(503);
        assertThat(reinit.body()).isEqualTo("pg1 is the leader, can not reinitialize");

        HttpResponse<String> switchover = post(pg1, "/switchover", "{\"leader\": \"pg1\"}");
        assertThat(switchover.statusCode()).isEqualTo(412);
        assertThat(switchover.body()).isEqualTo("switchover is not possible: cluster does not have members except leader");

        assertThat(post(pg1, "/failover", "").statusCode()).isEqualTo(400);
        HttpResponse<String> noCandidate = post(pg1, "/failover", "{\"leader\": \"pg1\"}");
        assertThat(noCandidate.statusCode()).isEqualTo(400);
        assertThat(noCandidate.body()).isEqualTo("Failover could be performed only to a specific candidate");

        Stewardctl.Result refused = stewardctl.run("switchover", "demo", "--leader", "pg1", "--force");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.out() + refused.err()).contains("No candidates found to switchover to");
    }

    @Test
    @Order(2)
    void reloadAndAConfigurationChangeThatNeedsARestart() {
        assertThat(post(pg1, "/reload", "").statusCode()).isEqualTo(202);

        // systemctl reload: SIGHUP asks for the same reload, and neither the agent nor PostgreSQL stops
        String postmasterStarted = pg1.sql().queryValue("SELECT pg_postmaster_start_time()");
        pg1.sighup();
        OperatorRequest.ReloadRequested bySignal = cluster.log().await("the reload SIGHUP asked for",
                OperatorRequest.ReloadRequested.class, request -> request.header().actor().equals("signal:SIGHUP"),
                TIMEOUT);
        DeciderEvent.RequestAnswered answer = cluster.log().await("the decider's answer to it",
                DeciderEvent.RequestAnswered.class, answered -> answered.requestId().equals(bySignal.header().requestId()),
                TIMEOUT);
        assertThat(answer.status()).as(answer.message()).isEqualTo(202);
        assertThat(bySignal.members()).containsExactly("pg1");
        assertThat(get(pg1, "/liveness").statusCode()).as("the agent runs on").isEqualTo(200);
        assertThat(pg1.sql().queryValue("SELECT pg_postmaster_start_time()")).as("PostgreSQL was not restarted")
                .isEqualTo(postmasterStarted);

        Stewardctl.Result edit = stewardctl.run("edit-config", "demo", "-s", "loop_wait=2", "-p", "max_connections=101",
                "--force");
        assertThat(edit.exitCode()).as(edit.out() + edit.err()).isZero();
        assertThat(edit.out()).contains("+loop_wait: 2");
        Await.until("/patroni shows pending_restart", TIMEOUT, () -> get(pg1, "/patroni").body().contains("pending_restart"));

        assertThat(get(pg1, "/liveness").statusCode()).isEqualTo(200);
        assertThat(get(pg1, "/readiness").statusCode()).isEqualTo(200);
    }

    @Test
    @Order(3)
    void aSwitchoverThroughTheApiInMaintenanceModeAnswers200WhenDone() {
        AgentNode pg2 = cluster.agent("pg2");
        cluster.awaitHealthy(1);
        Await.until("pg2 reports as a replica", TIMEOUT, () -> get(pg2, "/replica").statusCode() == 200);
        assertThat(get(pg2, "/primary").statusCode()).isEqualTo(503);
        assertThat(stewardctl.run("pause", "demo").exitCode()).isZero();

        long asked = System.nanoTime();
        HttpResponse<String> switchover = post(pg1, "/switchover", "{\"leader\": \"pg1\", \"candidate\": \"pg2\"}");

        assertThat(switchover.statusCode()).as(switchover.body()).isEqualTo(200);
        assertThat(switchover.body()).isEqualTo("Successfully switched over to \"pg2\"");
        Report.timing("REST API", "POST /switchover → 200", Duration.ofNanos(System.nanoTime() - asked));
        Await.until("pg2 writable", TIMEOUT, () -> cluster.writable().equals(List.of("pg2")));
        Await.until("pg1 streams from pg2", TIMEOUT, () -> TestCluster.streamingFrom(pg2).contains("pg1"));
        Await.until("the health checks follow", TIMEOUT, () -> get(pg1, "/primary").statusCode() == 503
                && get(pg1, "/replica").statusCode() == 200 && get(pg2, "/primary").statusCode() == 200
                && get(pg2, "/replica").statusCode() == 503);
        assertThat(stewardctl.run("resume", "demo").exitCode()).isZero();
    }

    private static HttpResponse<String> get(AgentNode agent, String path) {
        return send(agent, HttpRequest.newBuilder(URI.create(agent.restUrl() + path)).GET());
    }

    private static HttpResponse<String> post(AgentNode agent, String path, String body) {
        return send(agent, HttpRequest.newBuilder(URI.create(agent.restUrl() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static HttpResponse<String> send(AgentNode agent, HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(agent.name() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
