package io.steward.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import io.steward.audit.alert.AlertRules;
import io.steward.audit.log.LogStore;
import io.steward.audit.view.Verification;
import io.steward.core.decide.Decider;
import io.steward.core.decide.Decision;
import io.steward.core.decide.DecisionPolicy;
import io.steward.core.event.DeciderEvent.FailoverDecided;
import io.steward.testkit.Await;
import io.steward.testkit.Ports;
import io.steward.testkit.Testbed;
import io.steward.testkit.agent.AgentNode;
import io.steward.testkit.browser.HeadlessChromium;
import io.steward.testkit.cluster.TestCluster;

/**
 * The audit UI against the log of a real failover (kill -9 of the primary's host), in real
 * headless Chromium: the fleet shows the new leader, the failover's story gives the reason and the
 * duration of each step, and the replay slider moved to before the failover shows the old leader.
 * The alert receiver gets one firing and one resolved alert for the primary; verify finds no
 * difference with the current decision logic, and finds one when a rule is changed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuditUiIT {

    @RegisterExtension
    static final Testbed testbed = new Testbed();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestCluster cluster;
    private static AuditUiApplication app;
    private static HttpServer receiver;
    private static final List<JsonNode> alerts = new CopyOnWriteArrayList<>();
    private static String baseUrl;
    private static String oldLeader;
    private static String newLeader;
    private static String scope;

    @BeforeAll
    static void failOverWithTheAuditWatching() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", Ports.allocate()), 0);
        receiver.createContext("/api/v2/alerts", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                JSON.readTree(body).forEach(alerts::add);
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();

        cluster = new TestCluster(testbed);
        cluster.decider("d1");
        for (String name : List.of("n1", "n2", "n3")) {
            cluster.agent(name);
        }
        AgentNode primary = cluster.awaitHealthy(2);
        oldLeader = primary.name();

        int port = Ports.allocate();
        baseUrl = "http://127.0.0.1:" + port;
        app = new AuditUiApplication();
        app.run("server", config("audit-ui", port, "beginning").toString());
        Await.until("the audit to catch up with the log", TestCluster.TIMEOUT, () -> app.follower().isCaughtUp());
        scope = app.store().state().scopes().get(0);

        cluster.killHost(primary);
        newLeader = Await.value("a new leader", TestCluster.TIMEOUT, () -> {
            AgentNode leader = cluster.awaitHealthy(cluster.agents().stream().filter(a -> a != primary)
                    .map(AgentNode::name).toList(), 1);
            return java.util.Optional.of(leader.name());
        });
        assertThat(newLeader).isNotEqualTo(oldLeader);
        Await.until("the audit to read the failover", TestCluster.TIMEOUT, () -> app.store().leaderChanges().length > 0);
    }

    private static Path config(String name, int port, String start) throws IOException {
        Path config = testbed.directoryFor(name).resolve("audit-ui.yml");
        Files.writeString(config, String.join("\n",
                "server:",
                "  type: simple",
                "  applicationContextPath: /",
                "  adminContextPath: /admin",
                "  connector: {type: http, bindHost: 127.0.0.1, port: " + port + "}",
                "  requestLog: {appenders: []}",
                "logging:",
                "  level: INFO",
                "  loggers: {org.apache.kafka: WARN, org.eclipse.jetty: WARN, io.dropwizard: WARN}",
                "kafka:",
                "  bootstrap_servers: " + cluster.kafka().bootstrapServers(),
                "alerting:",
                start.equals("snapshot") ? "" // one receiver, one sender
                        : "  webhook_url: http://127.0.0.1:" + receiver.getAddress().getPort() + "/api/v2/alerts",
                "  ui_url: http://127.0.0.1:" + port,
                "start: " + start,
                ""));
        return config;
    }

    @AfterAll
    static void stop() throws Exception {
        if (app != null) {
            app.stop();
        }
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    @Test
    @Order(1)
    void theBrowserShowsTheNewLeaderTheFailoversStoryAndTheOldLeaderBeforeIt() throws Exception {
        LogStore store = app.store();
        int failover = store.leaderChanges()[0];
        assertThat(store.record(failover).event()).isInstanceOf(FailoverDecided.class);
        Instant decidedAt = store.record(failover).timestamp();
        String leaderCell = "[data-test='leader-" + scope + "-0']";
        try (HeadlessChromium browser = HeadlessChromium.start()) {
            browser.open(baseUrl + "/");
            browser.awaitText(leaderCell, newLeader::equals, TestCluster.TIMEOUT);

            browser.open(baseUrl + "/ui/#/failovers");
            browser.awaitText("a.story-link", text -> !text.isBlank(), TestCluster.TIMEOUT);
            browser.click("a.story-link");
            String reason = browser.awaitText("#story-reason", text -> text.contains(newLeader), TestCluster.TIMEOUT);
            assertThat(reason).as("the decision's reason").contains("promoting " + newLeader).contains(oldLeader);
            String story = browser.text("#story");
            assertThat(story).as("the steps, first sign to new primary")
                    .contains("last heartbeat from " + oldLeader, "failover decided", "promote " + newLeader + " sent",
                            newLeader + " promoted", "completed")
                    // whichever the decider saw first: the leader's silence past ttl, or its lease expiring
                    .containsAnyOf("leader held failed", "leader lease free")
                    .containsPattern("\\+\\d+(\\.\\d+)? (ms|s)");
            Files.createDirectories(Path.of("target"));
            browser.screenshot(Path.of("target", "audit-ui-failover-story.png"));

            browser.open(baseUrl + "/ui/#/group/" + scope + "/0"); // where an alert links to
            browser.awaitText("pre.tree", text -> text.contains(newLeader), TestCluster.TIMEOUT);

            browser.open(baseUrl + "/ui/#/replay/" + scope);
            browser.awaitText(leaderCell, newLeader::equals, TestCluster.TIMEOUT);
            browser.setValue("#replay-slider", Long.toString(decidedAt.toEpochMilli() - 500));
            browser.awaitText(leaderCell, oldLeader::equals, TestCluster.TIMEOUT);
            browser.awaitText("#replay-at", text -> !text.isBlank(), TestCluster.TIMEOUT);
        }
        assertThat(get("/api/fleet?at=" + (decidedAt.toEpochMilli() - 500))).contains("\"leader\":\"" + oldLeader + "\"");
        assertThat(get("/api/fleet?at=yesterday")).contains("at must be an ISO-8601 instant");
    }

    @Test
    @Order(2)
    void theReceiverGetsOneFiringAndOneResolvedAlertForThePrimary() {
        Await.until("a resolved " + AlertRules.PRIMARY_DOWN, TestCluster.TIMEOUT,
                () -> count(AlertRules.PRIMARY_DOWN, false) > 0);
        assertThat(count(AlertRules.PRIMARY_DOWN, true)).as("firing " + AlertRules.PRIMARY_DOWN).isEqualTo(1);
        assertThat(count(AlertRules.PRIMARY_DOWN, false)).as("resolved " + AlertRules.PRIMARY_DOWN).isEqualTo(1);
        assertThat(get("/metrics")).contains("steward_failovers_total{", "steward_failover_duration_seconds_bucket");
    }

    @Test
    @Order(3)
    void verifyFindsNoDifferenceUnlessARuleIsChanged() {
        var result = Verification.run(app.store(), DecisionPolicy.DEFAULT);
        assertThat((int) result.get("decisions_checked")).isPositive();
        assertThat(result.get("differences")).as("mismatches: %s", result.get("mismatches")).isEqualTo(0);

        // A changed rule: the failover promotes the same member but gives another reason.
        var changed = Verification.run(app.store(), DecisionPolicy.DEFAULT, (state, group, now, policy) -> {
            Decision decision = Decider.decide(state, group, now, policy);
            List<io.steward.core.event.DeciderEvent.GroupDecision> events = decision.events().stream()
                    .map(event -> event instanceof FailoverDecided d ? (io.steward.core.event.DeciderEvent.GroupDecision)
                            new FailoverDecided(d.epoch(), d.group(), d.oldLeader(), d.newLeader(), d.kind(),
                                    d.requestId(), "a changed rule", d.evidence()) : event).toList();
            return new Decision(events, decision.reason());
        });
        assertThat((int) changed.get("differences")).as("decisions that differ after the change").isEqualTo(1);
        assertThat(changed.get("mismatches").toString()).contains("a changed rule");
    }

    @Test
    @Order(4)
    void anAuditStartedFromTheDecidersSnapshotsReadsOnlyTheLogAfterThemAndKnowsTheSameCluster() throws Exception {
        AuditUiApplication fromSnapshot = new AuditUiApplication();
        fromSnapshot.run("server", config("audit-ui-snapshot", Ports.allocate(), "snapshot").toString());
        try {
            Await.until("the second audit to catch up", TestCluster.TIMEOUT, () -> fromSnapshot.follower().isCaughtUp());
            var group = fromSnapshot.store().state().scope(scope).get(0);
            assertThat(group.leader()).isEqualTo(newLeader);
            assertThat(group.members().keySet()).containsExactlyInAnyOrder("n1", "n2", "n3");
            assertThat(group.history()).as("the failover, known from the snapshot").isNotEmpty();
            assertThat(fromSnapshot.store().size()).as("records read after the snapshots")
                    .isLessThan(app.store().size() / 2);
        } finally {
            fromSnapshot.stop();
        }
    }

    @Test
    @Order(5)
    void aRecordThatCannotBeReadIsSkippedAndTheAuditReadsOn() {
        var properties = new java.util.Properties();
        properties.put("bootstrap.servers", cluster.kafka().bootstrapServers());
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<byte[], byte[]>(properties,
                new org.apache.kafka.common.serialization.ByteArraySerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>("steward.log",
                    "demo/0".getBytes(StandardCharsets.UTF_8), "not an event".getBytes(StandardCharsets.UTF_8)));
        }
        Await.until("the audit to skip the record", TestCluster.TIMEOUT, () -> app.follower().skipped() == 1);
        int size = app.store().size();
        Await.until("the audit to read on", TestCluster.TIMEOUT, () -> app.store().size() > size);
        assertThat(get("/api/fleet")).contains("\"leader\":\"" + newLeader + "\"");
    }

    private static long count(String alertname, boolean firing) {
        Instant now = Instant.now();
        return alerts.stream().filter(alert -> alertname.equals(alert.path("labels").path("alertname").asText()))
                .filter(alert -> {
                    JsonNode endsAt = alert.get("endsAt");
                    boolean ended = endsAt != null && !endsAt.isNull() && !endsAt.asText().isEmpty()
                            && !Instant.parse(endsAt.asText()).isAfter(now);
                    return firing != ended;
                }).count();
    }

    private static String get(String path) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(baseUrl + path)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).body();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
