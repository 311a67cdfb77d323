package io.steward.audit.view;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.steward.audit.log.LogStore;
import io.steward.core.event.AgentEvent.MemberObserved;
import io.steward.core.event.DeciderEvent.FailoverDecided;
import io.steward.core.event.DeciderEvent.SwitchoverStarted;
import io.steward.core.event.LogRecord;
import io.steward.core.model.GroupId;
import io.steward.core.model.Lsn;
import io.steward.core.model.Observation;

/**
 * Replication lag over time, per replica of one group, from the heartbeats: the bytes between the
 * primary's last reported write position and the replica's position (or the lag the replica
 * reports itself), at most {@value #POINTS} points per member over the window.
 */
public final class LagSeries {

    static final int POINTS = 300;

    private LagSeries() {
    }

    /** The window shown when none is asked for: the last quarter of an hour of the group. */
    static final long DEFAULT_WINDOW_MILLIS = 15 * 60_000;

    public static Map<String, Object> of(LogStore store, GroupId group, Instant from, Instant to) {
        int[] indices = store.indicesOf(group);
        long last = indices.length == 0 ? 0 : store.timestamp(indices[indices.length - 1]);
        long toMillis = to == null ? Long.MAX_VALUE : to.toEpochMilli();
        long fromMillis = from != null ? from.toEpochMilli() : Math.min(toMillis, last) - DEFAULT_WINDOW_MILLIS;
        Map<String, List<long[]>> points = new TreeMap<>();
        Lsn primaryPosition = null;
        String primary = null;
        // Start a little before the window, to know the primary's position at its start.
        int start = store.firstAtOrAfter(indices, fromMillis - 60_000);
        for (int p = start; p < indices.length; p++) {
            int index = indices[p];
            long at = store.timestamp(index);
            if (at > toMillis) {
                break;
            }
            String kind = store.kind(index);
            boolean observed = kind.equals("MemberObserved");
            if (!observed && !kind.equals("FailoverDecided") && !kind.equals("SwitchoverStarted")) {
                continue;
            }
            LogRecord record = store.record(index);
            switch (record.event()) {
                case MemberObserved e -> {
                    Observation o = e.observation();
                    if (o.isRunningPrimary()) {
                        primary = e.member();
                        primaryPosition = o.writeLsn();
                    } else if (at >= fromMillis && o.isRunningReplica()) {
                        Long lag = o.lagBytes() != null ? o.lagBytes() : primaryPosition == null || o.walPosition() == null
                                ? null : Math.max(0, primaryPosition.bytesAfter(o.walPosition()));
                        if (lag != null && !e.member().equals(primary)) {
                            points.computeIfAbsent(e.member(), m -> new ArrayList<>()).add(new long[] {at, lag});
                        }
                    }
                }
                case FailoverDecided e -> primaryPosition = null;
                case SwitchoverStarted e -> primaryPosition = null;
                default -> {
                }
            }
        }
        Map<String, Object> series = new LinkedHashMap<>();
        points.forEach((member, list) -> series.put(member, downsample(list)));
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("scope", group.scope());
        view.put("group", group.group());
        view.put("from", Instant.ofEpochMilli(fromMillis).toString());
        view.put("series", series);
        return view;
    }

    /** At most {@link #POINTS} points, keeping the largest lag of each bucket (peaks matter). */
    private static List<long[]> downsample(List<long[]> points) {
        if (points.size() <= POINTS) {
            return points;
        }
        List<long[]> kept = new ArrayList<>();
        double step = points.size() / (double) POINTS;
        for (int bucket = 0; bucket < POINTS; bucket++) {
            int start = (int) (bucket * step);
            int end = Math.min(points.size(), (int) ((bucket + 1) * step));
            long[] peak = points.get(start);
            for (int i = start; i < end; i++) {
                if (points.get(i)[1] > peak[1]) {
                    peak = points.get(i);
                }
            }
            kept.add(peak);
        }
        return kept;
    }
}
