package io.steward.audit.alert;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.lifecycle.Managed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers alert changes to Alertmanager ({@code POST /api/v2/alerts}, a JSON array of alerts) from
 * one background thread, so the consumer that folds the log never waits on the network.
 *
 * <p>Each change is posted once, in order, batched with those waiting behind it; resolved alerts
 * carry {@code endsAt}. A failed post (no connection, a timeout, 408, 429 or 5xx) is retried with
 * doubling backoff; one refused for good (another 4xx) is dropped with an error log. Changes wait in
 * a bounded queue; when it is full the oldest is dropped with a warning. {@link #submit} never blocks
 * and never throws on delivery problems.
 *
 * <p>Alertmanager forgets a firing alert that is not sent again within its {@code resolve_timeout},
 * so, unless switched off, the firing alerts are sent again every {@code repeatInterval}. Those
 * re-sends are not changes: {@link #notifications()} lists each delivered change once.
 *
 * <p>Thread-safe. {@link #start()} and {@link #stop()} follow Dropwizard's {@link Managed}.
 */
public final class AlertmanagerWebhook implements Managed {

    private static final Logger LOG = LoggerFactory.getLogger(AlertmanagerWebhook.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BATCH = 100;
    private static final int NOTIFICATIONS_KEPT = 1000;

    /**
     * Where and how to send.
     *
     * @param url            Alertmanager's alerts endpoint, {@code http://host:9093/api/v2/alerts}
     * @param repeat         whether firing alerts are sent again every {@code repeatInterval}
     * @param repeatInterval how often; below Alertmanager's {@code resolve_timeout} (5 min by default)
     * @param queueCapacity  changes kept while Alertmanager cannot be reached
     * @param initialBackoff the first wait after a failed post; it doubles up to {@code maxBackoff}
     * @param maxBackoff     the longest wait between attempts
     * @param requestTimeout how long one post may take
     */
    public record Config(URI url, boolean repeat, Duration repeatInterval, int queueCapacity, Duration initialBackoff,
                         Duration maxBackoff, Duration requestTimeout) {
        public Config {
            Objects.requireNonNull(url, "url");
            if (queueCapacity < 1) {
                throw new IllegalArgumentException("queueCapacity must be at least 1, got " + queueCapacity);
            }
        }

        /** Re-send every 60 s, keep 10,000 changes, back off from 0.5 s to 30 s, 10 s per post. */
        public static Config defaults(URI url) {
            return new Config(url, true, Duration.ofSeconds(60), 10_000, Duration.ofMillis(500), Duration.ofSeconds(30),
                    Duration.ofSeconds(10));
        }
    }

    /** A change delivered to Alertmanager, at the log time it happened. */
    public record Notification(String fingerprint, String alertname, AlertChange.Status status, Instant at) {
    }

    private enum Result { DELIVERED, RETRY, REFUSED }

    private final Config config;
    private final HttpClient client;
    private final LinkedBlockingDeque<AlertChange> queue;
    private final Map<String, Alert> firing = new LinkedHashMap<>();
    private final Deque<Notification> notifications = new ArrayDeque<>();
    private final AtomicLong failedPosts = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean running;
    private Thread sender;

    public AlertmanagerWebhook(Config config) {
        this.config = config;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.requestTimeout()).build();
        this.queue = new LinkedBlockingDeque<>(config.queueCapacity());
    }

    /** Queues {@code changes} for delivery, dropping the oldest waiting when the queue is full. */
    public void submit(List<AlertChange> changes) {
        for (AlertChange change : changes) {
            synchronized (firing) {
                if (change.isOpenEnded()) {
                    firing.put(change.fingerprint(), change.alert());
                } else {
                    firing.remove(change.fingerprint());
                }
            }
            while (!queue.offerLast(change)) {
                AlertChange oldest = queue.pollFirst();
                if (oldest != null) {
                    drop(oldest, "queue full");
                }
            }
        }
    }

    /** The changes delivered, oldest first (the last 1,000). */
    public List<Notification> notifications() {
        synchronized (notifications) {
            return List.copyOf(notifications);
        }
    }

    /** Changes waiting to be delivered. */
    public int pending() {
        return queue.size();
    }

    /** Posts that failed (each retry counts). */
    public long failedPosts() {
        return failedPosts.get();
    }

    /** Changes dropped undelivered. */
    public long dropped() {
        return dropped.get();
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        sender = new Thread(this::run, "alertmanager-webhook");
        sender.setDaemon(true);
        sender.start();
    }

    @Override
    public synchronized void stop() throws InterruptedException {
        running = false;
        if (sender != null) {
            sender.interrupt();
            sender.join(config.requestTimeout().toMillis() + 1000);
            sender = null;
        }
        if (!queue.isEmpty()) {
            LOG.warn("alertmanager webhook stopped with {} alert changes undelivered", queue.size());
        }
    }

    private void run() {
        long nextRepeat = System.nanoTime() + config.repeatInterval().toNanos();
        Duration backoff = config.initialBackoff();
        while (running) {
            try {
                long waitNanos = config.repeat() ? Math.max(0, nextRepeat - System.nanoTime()) : 1_000_000_000L;
                AlertChange first = queue.pollFirst(waitNanos, TimeUnit.NANOSECONDS);
                if (first != null) {
                    List<AlertChange> batch = new ArrayList<>(List.of(first));
                    queue.drainTo(batch, MAX_BATCH - 1);
                    Result result;
                    try {
                        result = post(batch.stream().map(AlertChange::alert).toList());
                    } catch (InterruptedException e) {
                        requeue(batch); // stopping: counted as undelivered
                        return;
                    }
                    if (result == Result.RETRY) {
                        requeue(batch);
                        Thread.sleep(backoff.toMillis());
                        backoff = min(backoff.multipliedBy(2), config.maxBackoff());
                        continue;
                    }
                    backoff = config.initialBackoff();
                    if (result == Result.DELIVERED) {
                        batch.forEach(this::delivered);
                    } else {
                        batch.forEach(change -> drop(change, "refused by Alertmanager"));
                    }
                }
                if (config.repeat() && System.nanoTime() - nextRepeat >= 0) {
                    nextRepeat = System.nanoTime() + config.repeatInterval().toNanos();
                    List<Alert> again;
                    synchronized (firing) {
                        again = List.copyOf(firing.values());
                    }
                    if (!again.isEmpty()) {
                        post(again); // best effort: the next repeat tries again
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.error("alertmanager webhook: unexpected failure, going on", e);
            }
        }
    }

    private Result post(List<Alert> alerts) throws InterruptedException {
        try {
            HttpRequest request = HttpRequest.newBuilder(config.url()).timeout(config.requestTimeout())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json(alerts))).build();
            int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status / 100 == 2) {
                return Result.DELIVERED;
            }
            failedPosts.incrementAndGet();
            boolean retriable = status >= 500 || status == 408 || status == 429;
            if (retriable) {
                LOG.warn("alertmanager answered {} to {} alerts, retrying", status, alerts.size());
                return Result.RETRY;
            }
            LOG.error("alertmanager refused {} alerts with {}, dropping them", alerts.size(), status);
            return Result.REFUSED;
        } catch (IOException e) {
            failedPosts.incrementAndGet();
            LOG.warn("alertmanager not reached ({}), retrying", e.toString());
            return Result.RETRY;
        }
    }

    /** Alertmanager's v2 alert objects; {@code endsAt} only once known. */
    static byte[] json(List<Alert> alerts) throws JsonProcessingException {
        List<Map<String, Object>> body = new ArrayList<>();
        for (Alert alert : alerts) {
            Map<String, Object> object = new LinkedHashMap<>();
            object.put("labels", alert.labels());
            object.put("annotations", alert.annotations());
            object.put("startsAt", alert.startsAt().toString());
            if (alert.endsAt() != null) {
                object.put("endsAt", alert.endsAt().toString());
            }
            object.put("generatorURL", alert.generatorURL());
            body.add(object);
        }
        return JSON.writeValueAsBytes(body);
    }

    /** Puts a failed batch back in front, in order; what no longer fits is the oldest, and dropped. */
    private void requeue(List<AlertChange> batch) {
        for (int i = batch.size() - 1; i >= 0; i--) {
            if (!queue.offerFirst(batch.get(i))) {
                drop(batch.get(i), "queue full");
            }
        }
    }

    private void delivered(AlertChange change) {
        Alert alert = change.alert();
        Instant at = change.status() == AlertChange.Status.FIRING ? alert.startsAt() : alert.endsAt();
        synchronized (notifications) {
            if (notifications.size() == NOTIFICATIONS_KEPT) {
                notifications.removeFirst();
            }
            notifications.addLast(new Notification(change.fingerprint(), alert.name(), change.status(), at));
        }
    }

    private void drop(AlertChange change, String why) {
        dropped.incrementAndGet();
        LOG.warn("alert change dropped ({}): {} {} {}", why, change.status(), change.alert().name(),
                change.alert().labels());
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
