package io.steward.audit.alert;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import io.steward.core.event.DeciderEvent.FailoverCompleted;
import io.steward.core.event.DeciderEvent.FailoverDecided;
import io.steward.core.event.DeciderEvent.FailoverKind;
import io.steward.core.event.DeciderEvent.GroupDecision;
import io.steward.core.event.DeciderEvent.SwitchoverCompleted;
import io.steward.core.event.DeciderEvent.SwitchoverStarted;
import io.steward.core.event.LogRecord;
import io.steward.core.model.GroupId;
import io.steward.core.state.ClusterState;
import io.steward.core.state.GroupState;
import io.steward.core.state.Transition;

/**
 * The alerting consumer's metrics for {@code GET /metrics}, in Prometheus' text format: leader
 * changes by group and kind, how long they took in log time, and the alerts firing by name.
 *
 * <p>Rendered by hand: Dropwizard Metrics, on the classpath, has no labels, no fixed buckets and no
 * Prometheus output, and a Prometheus client would be a dependency for a hundred lines. Durations
 * are log time, from {@code FailoverDecided} or {@code SwitchoverStarted} to its completion, so a
 * replay counts the same. Thread-safe: the consumer thread observes, HTTP threads render.
 */
public final class AlertMetrics {

    /** Upper bounds of the duration buckets, in seconds. */
    static final double[] BUCKETS = {0.5, 1, 2, 5, 10, 30, 60};
    private static final List<String> KINDS = List.of("automatic", "manual", "switchover");

    private final SortedMap<String, Long> failovers = new TreeMap<>();
    private final Map<String, long[]> bucketCounts = new TreeMap<>();
    private final Map<String, Double> durationSums = new TreeMap<>();
    private final SortedMap<String, Long> firing = new TreeMap<>();

    public AlertMetrics() {
        for (String kind : KINDS) {
            bucketCounts.put(kind, new long[BUCKETS.length + 1]);
            durationSums.put(kind, 0.0);
        }
        AlertRules.NAMES.forEach(name -> firing.put(name, 0L));
    }

    /** Counts what {@code record} did; {@code changes} are what {@link AlertRules} returned for it. */
    public synchronized void observe(ClusterState before, LogRecord record, ClusterState after,
                                     List<AlertChange> changes) {
        for (AlertChange change : changes) {
            if (change.isOpenEnded()) {
                firing.merge(change.alert().name(), 1L, Long::sum);
            } else if (change.status() == AlertChange.Status.RESOLVED) {
                firing.merge(change.alert().name(), -1L, Long::sum);
            }
        }
        if (!(record.event() instanceof GroupDecision decision) || !AlertRules.accepted(before, record, after)) {
            return;
        }
        switch (decision) {
            case FailoverDecided decided -> count(decided.group(),
                    decided.kind() == FailoverKind.MANUAL ? "manual" : "automatic");
            case SwitchoverStarted started -> count(started.group(), "switchover");
            case FailoverCompleted completed -> finished(before, completed.group(), after.partition(record.partition())
                    .clock());
            case SwitchoverCompleted completed -> finished(before, completed.group(),
                    after.partition(record.partition()).clock());
            default -> { }
        }
    }

    /** The metrics in Prometheus' text exposition format (version 0.0.4). */
    public synchronized String render() {
        StringBuilder out = new StringBuilder();
        header(out, "steward_failovers_total", "counter", "Leader changes started, by group and kind "
                + "(automatic, manual, switchover).");
        failovers.forEach((labels, count) -> sample(out, "steward_failovers_total", labels, count));
        header(out, "steward_failover_duration_seconds", "histogram", "Log time from a failover or switchover "
                + "decision to its completion.");
        for (String kind : KINDS) {
            long[] counts = bucketCounts.get(kind);
            long cumulative = 0;
            for (int i = 0; i <= BUCKETS.length; i++) {
                cumulative += counts[i];
                String bound = i < BUCKETS.length ? number(BUCKETS[i]) : "+Inf";
                sample(out, "steward_failover_duration_seconds_bucket", labels("kind", kind, "le", bound), cumulative);
            }
            sample(out, "steward_failover_duration_seconds_sum", labels("kind", kind), durationSums.get(kind));
            sample(out, "steward_failover_duration_seconds_count", labels("kind", kind), cumulative);
        }
        header(out, "steward_alerts_firing", "gauge", "Alerts firing now, by name.");
        firing.forEach((name, count) -> sample(out, "steward_alerts_firing", labels("alertname", name), count));
        return out.toString();
    }

    private void count(GroupId group, String kind) {
        failovers.merge(labels("scope", group.scope(), "group", String.valueOf(group.group()), "kind", kind), 1L,
                Long::sum);
    }

    private void finished(ClusterState before, GroupId group, Instant now) {
        Transition transition = before.group(group).map(GroupState::transition).orElse(null);
        if (transition == null) {
            return; // started before this consumer's first record: its duration is unknown
        }
        String kind = switch (transition.kind()) {
            case FAILOVER -> "automatic";
            case MANUAL_FAILOVER -> "manual";
            case SWITCHOVER -> "switchover";
        };
        double seconds = Duration.between(transition.startedAt(), now).toMillis() / 1000.0;
        int bucket = 0;
        while (bucket < BUCKETS.length && seconds > BUCKETS[bucket]) {
            bucket++;
        }
        bucketCounts.get(kind)[bucket]++;
        durationSums.merge(kind, seconds, Double::sum);
    }

    private static void header(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void sample(StringBuilder out, String name, String labels, double value) {
        out.append(name).append(labels).append(' ').append(number(value)).append('\n');
    }

    /** {@code {a="1",b="2"}} from names and values, escaped as the format asks. */
    private static String labels(String... namesAndValues) {
        StringBuilder out = new StringBuilder("{");
        for (int i = 0; i < namesAndValues.length; i += 2) {
            out.append(i == 0 ? "" : ",").append(namesAndValues[i]).append("=\"").append(namesAndValues[i + 1]
                    .replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")).append('"');
        }
        return out.append('}').toString();
    }

    private static String number(double value) {
        boolean integral = value == Math.rint(value) && Math.abs(value) < 1e15;
        return integral ? Long.toString((long) value) : Double.toString(value);
    }
}
