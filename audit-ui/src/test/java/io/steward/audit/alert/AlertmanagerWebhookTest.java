package io.steward.audit.alert;

import static io.steward.audit.alert.AlertChange.Status.FIRING;
import static io.steward.audit.alert.AlertChange.Status.RESOLVED;
import static io.steward.audit.alert.AlertLog.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AlertmanagerWebhookTest {

    private static final Duration PATIENCE = Duration.ofSeconds(15);

    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final List<String> contentTypes = new CopyOnWriteArrayList<>();
    private final Queue<Integer> statuses = new ConcurrentLinkedQueue<>();
    private HttpServer server;
    private AlertmanagerWebhook webhook;

    @AfterEach
    void stop() throws InterruptedException {
        if (webhook != null) {
            webhook.stop();
        }
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void postsEachChangeOnceInAlertmanagersFormat() throws Exception {
        int port = receiver(0);
        webhook = start(port, false, Duration.ofSeconds(60), 100);
        AlertChange fired = new AlertChange(FIRING, alert("n1", null));
        webhook.submit(List.of(fired));
        await(() -> webhook.notifications().size() == 1);
        webhook.submit(List.of(new AlertChange(RESOLVED, alert("n1", T0.plusSeconds(2)))));
        await(() -> webhook.notifications().size() == 2);

        assertThat(bodies).hasSize(2);
        assertThat(contentTypes).containsOnly("application/json");
        Map<String, Object> firing = parse(bodies.get(0)).get(0);
        assertThat(firing).containsOnlyKeys("labels", "annotations", "startsAt", "generatorURL");
        assertThat(firing.get("labels")).isEqualTo(Map.of("alertname", "StewardMemberDown", "severity", "warning",
                "scope", "demo", "group", "0", "member", "n1"));
        assertThat(firing.get("annotations")).isEqualTo(Map.of("summary", "Member n1 of demo/0 is down"));
        assertThat(firing).containsEntry("startsAt", "2026-01-01T00:00:00Z")
                .containsEntry("generatorURL", "http://audit:8080/#/group/demo/0");
        assertThat(parse(bodies.get(1)).get(0)).containsEntry("endsAt", "2026-01-01T00:00:02Z");
        assertThat(webhook.notifications()).containsExactly(
                new AlertmanagerWebhook.Notification(fired.fingerprint(), "StewardMemberDown", FIRING, T0),
                new AlertmanagerWebhook.Notification(fired.fingerprint(), "StewardMemberDown", RESOLVED,
                        T0.plusSeconds(2)));
    }

    @Test
    void retriesAfterTheReceiverFails() throws Exception {
        statuses.add(500);
        webhook = start(receiver(0), false, Duration.ofSeconds(60), 100);
        webhook.submit(List.of(new AlertChange(FIRING, alert("n1", null))));
        await(() -> webhook.notifications().size() == 1);

        assertThat(bodies).hasSize(2);
        assertThat(bodies.get(1)).isEqualTo(bodies.get(0));
        assertThat(webhook.failedPosts()).isEqualTo(1);
    }

    @Test
    void neverThrowsWhileAlertmanagerIsAwayAndDeliversOnceItIsBack() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        webhook = start(port, false, Duration.ofSeconds(60), 100);
        assertThatCode(() -> webhook.submit(List.of(new AlertChange(FIRING, alert("n1", null)))))
                .doesNotThrowAnyException();
        await(() -> webhook.failedPosts() >= 2);
        assertThat(webhook.notifications()).isEmpty();

        receiver(port);
        await(() -> webhook.notifications().size() == 1);
        assertThat(bodies).hasSize(1);
    }

    @Test
    void dropsTheOldestChangesWhenTheQueueIsFull() throws Exception {
        int port = receiver(0);
        webhook = new AlertmanagerWebhook(config(port, false, Duration.ofSeconds(60), 2));
        List<AlertChange> changes = List.of(new AlertChange(FIRING, alert("n1", null)),
                new AlertChange(FIRING, alert("n2", null)), new AlertChange(FIRING, alert("n3", null)),
                new AlertChange(FIRING, alert("n4", null)));
        webhook.submit(changes);
        assertThat(webhook.pending()).isEqualTo(2);
        assertThat(webhook.dropped()).isEqualTo(2);

        webhook.start();
        await(() -> webhook.notifications().size() == 2);
        assertThat(webhook.notifications()).extracting(AlertmanagerWebhook.Notification::fingerprint)
                .containsExactly(changes.get(2).fingerprint(), changes.get(3).fingerprint());
    }

    @Test
    void resendsFiringAlertsButNotifiesEachChangeOnce() throws Exception {
        Duration interval = Duration.ofMillis(100);
        webhook = start(receiver(0), true, interval, 100);
        AlertChange fired = new AlertChange(FIRING, alert("n1", null));
        webhook.submit(List.of(fired));
        await(() -> bodies.size() >= 3);
        assertThat(webhook.notifications()).extracting(AlertmanagerWebhook.Notification::status)
                .containsExactly(FIRING);
        assertThat(bodies).allSatisfy(body -> assertThat(body).isEqualTo(bodies.get(0)));

        webhook.submit(List.of(new AlertChange(RESOLVED, alert("n1", T0.plusSeconds(2)))));
        await(() -> webhook.notifications().size() == 2);
        int afterResolve = bodies.size();
        Thread.sleep(interval.multipliedBy(5).toMillis());
        assertThat(bodies.size()).isLessThanOrEqualTo(afterResolve + 1); // at most one re-send was under way
    }

    private Alert alert(String member, Instant endsAt) {
        return new Alert(new TreeMap<>(Map.of("alertname", "StewardMemberDown", "severity", "warning", "scope", "demo",
                "group", "0", "member", member)), new TreeMap<>(Map.of("summary", "Member " + member
                + " of demo/0 is down")), T0, endsAt, "http://audit:8080/#/group/demo/0");
    }

    /** Starts a receiver on 127.0.0.1 ({@code port} 0: a free one) answering from {@link #statuses}, else 200. */
    private int receiver(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/api/v2/alerts", exchange -> {
            if (exchange.getRequestMethod().equals("POST")) {
                contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
                bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            }
            Integer status = statuses.poll();
            exchange.sendResponseHeaders(status == null ? 200 : status, -1);
            exchange.close();
        });
        server.start();
        return server.getAddress().getPort();
    }

    private static AlertmanagerWebhook.Config config(int port, boolean repeat, Duration interval, int capacity) {
        return new AlertmanagerWebhook.Config(URI.create("http://127.0.0.1:" + port + "/api/v2/alerts"), repeat,
                interval, capacity, Duration.ofMillis(20), Duration.ofMillis(100), Duration.ofSeconds(5));
    }

    private static AlertmanagerWebhook start(int port, boolean repeat, Duration interval, int capacity) {
        AlertmanagerWebhook started = new AlertmanagerWebhook(config(port, repeat, interval, capacity));
        started.start();
        return started;
    }

    private static List<Map<String, Object>> parse(String body) throws IOException {
        return new ObjectMapper().readValue(body, new TypeReference<>() { });
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("waited %s", PATIENCE).isNegative();
            Thread.sleep(10);
        }
    }
}
