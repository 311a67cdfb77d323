package io.steward.bench.compare;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.steward.testkit.Await;
import io.steward.testkit.cluster.Writer;
import io.steward.testkit.process.ChildProcess;
import io.steward.testkit.process.Signal;

/**
 * The measurements, each run the same way against either manager, with an application writing a
 * row every 10 ms through a multi-host URL and remembering every acknowledged id.
 */
final class Scenarios {

    private static final Duration TIMEOUT = Duration.ofSeconds(240);
    private static final Duration WRITE_INTERVAL = Duration.ofMillis(10);

    /** One host loss: how long until a write was acknowledged elsewhere, what was lost, how long to rejoin. */
    record HostLoss(Duration firstWrite, int lost, Duration synchronousGap, Duration rejoin) {
    }

    private Scenarios() {
    }

    /**
     * Kills the primary's host while the writer runs (after freezing its walsenders for 1 s when
     * {@code stallFirst}), then restarts the old primary's manager and waits until it streams again.
     */
    static HostLoss hostLoss(ManagedGroup group, boolean synchronous, boolean stallFirst) {
        String primary = group.awaitHealthy();
        if (synchronous) {
            Await.until("a synchronous standby", TIMEOUT, () -> !synchronousStandbys(group, primary).isEmpty());
        }
        try (Writer writer = Writer.start(group.primaryUrl(), "postgres", group.superuserPassword(), WRITE_INTERVAL)) {
            Await.until("writes acknowledged", TIMEOUT, () -> writer.acks().size() > 200);
            if (stallFirst) {
                List<Long> walsenders = group.sql(primary).queryColumn("SELECT pid FROM pg_stat_replication").stream()
                        .map(Long::parseLong).toList();
                walsenders.forEach(pid -> ChildProcess.sendSignal(pid, Signal.STOP));
                Await.sleep(Duration.ofSeconds(1));
            }
            PromotionWatch watch = new PromotionWatch(group, primary);
            long killed = System.nanoTime();
            group.killHost(primary);
            watch.start();
            Writer.Ack first = Await.value("a write acknowledged by a new primary", TIMEOUT,
                    () -> writer.firstAckAfter(killed, group.pgPort(primary)));
            String promoted = group.members().stream().filter(m -> group.pgPort(m) == first.port()).findFirst()
                    .orElseThrow();
            Duration synchronousGap = null;
            if (synchronous) {
                synchronousGap = Await.value("a synchronous standby on " + promoted, TIMEOUT,
                        () -> watch.synchronousGap(promoted));
            }
            Await.sleep(Duration.ofMillis(500));
            writer.close();
            watch.stop();
            Set<Long> present = new HashSet<>();
            group.sql(promoted).queryColumn("SELECT id FROM steward_writes").forEach(id -> present.add(Long.parseLong(id)));
            int lost = writer.lost(present).size();
            group.sql(promoted).execute("TRUNCATE steward_writes");

            long restarted = System.nanoTime();
            group.restart(primary);
            Await.until(primary + " streams from " + promoted, TIMEOUT,
                    () -> streamingFrom(group, promoted).contains(primary));
            Duration rejoin = Duration.ofNanos(System.nanoTime() - restarted);
            return new HostLoss(Duration.ofNanos(first.atNanos() - killed), lost, synchronousGap, rejoin);
        }
    }

    /** A planned switchover through the REST API: the longest time without an acknowledged write. */
    static Duration switchover(ManagedGroup group) {
        String primary = group.awaitHealthy();
        String candidate = group.members().stream().filter(m -> !m.equals(primary)).findFirst().orElseThrow();
        try (Writer writer = Writer.start(group.primaryUrl(), "postgres", group.superuserPassword(), WRITE_INTERVAL)) {
            Await.until("writes acknowledged", TIMEOUT, () -> writer.acks().size() > 100);
            long asked = System.nanoTime();
            group.switchover(primary, candidate);
            Await.value("a write acknowledged by " + candidate, TIMEOUT,
                    () -> writer.firstAckAfter(asked, group.pgPort(primary)));
            Await.sleep(Duration.ofMillis(300));
            writer.close();
            group.sql(candidate).execute("TRUNCATE steward_writes");
            return writer.longestGap();
        }
    }

    static List<String> synchronousStandbys(ManagedGroup group, String primary) {
        return group.sql(primary).queryColumn(
                "SELECT application_name FROM pg_stat_replication WHERE sync_state IN ('sync', 'quorum')");
    }

    static List<String> streamingFrom(ManagedGroup group, String primary) {
        try {
            return group.sql(primary).queryColumn("SELECT application_name FROM pg_stat_replication "
                    + "WHERE state = 'streaming' AND application_name <> 'pg_basebackup'");
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    /**
     * Polls the surviving members every 20 ms from the kill on: when each became writable, and when
     * it first had a synchronous standby.
     */
    private static final class PromotionWatch {
        private final ManagedGroup group;
        private final List<String> survivors;
        private final Map<String, Long> writableAt = new ConcurrentHashMap<>();
        private final Map<String, Long> synchronousAt = new ConcurrentHashMap<>();
        private final Thread thread;
        private volatile boolean running = true;

        PromotionWatch(ManagedGroup group, String dead) {
            this.group = group;
            this.survivors = group.members().stream().filter(m -> !m.equals(dead)).toList();
            this.thread = new Thread(this::run, "promotion-watch");
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        private void run() {
            while (running) {
                for (String member : survivors) {
                    try {
                        if (!writableAt.containsKey(member)
                                && "f".equals(group.sql(member).queryValue("SELECT pg_is_in_recovery()"))) {
                            writableAt.put(member, System.nanoTime());
                        }
                        if (writableAt.containsKey(member) && !synchronousAt.containsKey(member)
                                && !synchronousStandbys(group, member).isEmpty()) {
                            synchronousAt.put(member, System.nanoTime());
                        }
                    } catch (RuntimeException e) {
                        // not up
                    }
                }
                Await.sleep(Duration.ofMillis(20));
            }
        }

        Optional<Duration> synchronousGap(String member) {
            Long writable = writableAt.get(member);
            Long synchronous = synchronousAt.get(member);
            return writable == null || synchronous == null ? Optional.empty()
                    : Optional.of(Duration.ofNanos(Math.max(0, synchronous - writable)));
        }

        void stop() {
            running = false;
        }
    }
}
