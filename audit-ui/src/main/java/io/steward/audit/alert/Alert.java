package io.steward.audit.alert;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One alert, in the shape Alertmanager's API v2 takes it ({@code POST /api/v2/alerts}): the labels
 * identify it, the annotations explain it to the person on call.
 *
 * <p>Times are log times, the broker timestamps of the records that started and ended it, so a
 * replay of the log yields the same alerts. {@code endsAt} is null while the alert fires and set once
 * it is resolved; a one-shot alert (a decider takeover) fires with {@code endsAt} already set, and
 * Alertmanager resolves it by itself then.
 *
 * @param labels       alertname, severity, and where it applies: scope, group, member
 * @param annotations  summary, and a description carrying the log's reason where there is one
 * @param startsAt     log time it started
 * @param endsAt       log time it ended; null while firing
 * @param generatorURL the audit UI page of the group
 */
public record Alert(SortedMap<String, String> labels, SortedMap<String, String> annotations, Instant startsAt,
                    Instant endsAt, String generatorURL) {

    public Alert {
        Objects.requireNonNull(labels.get("alertname"), "alertname");
        Objects.requireNonNull(startsAt, "startsAt");
        labels = Collections.unmodifiableSortedMap(new TreeMap<>(labels));
        annotations = Collections.unmodifiableSortedMap(new TreeMap<>(annotations));
    }

    public String name() {
        return labels.get("alertname");
    }

    /** This alert ended at {@code at}. */
    public Alert endingAt(Instant at) {
        return new Alert(labels, annotations, startsAt, at, generatorURL);
    }

    /**
     * The identity Alertmanager de-duplicates by, computed as Prometheus computes a label set's
     * fingerprint (FNV-1a, 64 bits, over the labels sorted by name, each name and value followed by
     * the byte 0xff), in hexadecimal.
     */
    public String fingerprint() {
        return fingerprint(labels);
    }

    static String fingerprint(Map<String, String> labels) {
        long hash = 0xcbf29ce484222325L;
        for (Map.Entry<String, String> label : new TreeMap<>(labels).entrySet()) {
            hash = add(add(hash, label.getKey()), label.getValue());
        }
        return String.format("%016x", hash);
    }

    private static long add(long hash, String text) {
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            hash = (hash ^ (b & 0xff)) * 0x100000001b3L;
        }
        return (hash ^ 0xff) * 0x100000001b3L;
    }
}
