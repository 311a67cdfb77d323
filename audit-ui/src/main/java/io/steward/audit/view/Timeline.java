package io.steward.audit.view;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.steward.audit.log.EventFacts;
import io.steward.audit.log.LogStore;
import io.steward.core.event.LogRecord;
import io.steward.core.model.GroupId;

/**
 * Every event and decision, newest first, filtered by scope, group, member, kind and time, a page
 * at a time. The filter runs over the store's columns (no decoding), so a page of a log of millions
 * costs one pass over a few arrays; only the records shown are decoded.
 *
 * @param scope   null for any
 * @param group   null for any (needs {@code scope})
 * @param member  null for any
 * @param kinds   record names; empty for any
 * @param from    inclusive, null for no bound
 * @param to      inclusive, null for no bound
 * @param before  show records stored before this position (the previous page's {@code next}); null for the newest
 * @param limit   records per page
 */
public record Timeline(String scope, Integer group, String member, Set<String> kinds, Instant from, Instant to,
                       Integer before, int limit) {

    /** Heartbeats: most of the log, and hidden unless asked for. */
    public static final String HEARTBEAT = "MemberObserved";

    public Timeline {
        kinds = Set.copyOf(kinds);
        limit = Math.max(1, Math.min(limit, 1000));
    }

    /** One page: the rows, how many records match in all, and where the next (older) page starts. */
    public Map<String, Object> page(LogStore store) {
        LogStore.Scan scan = store.scan();
        boolean[] kindAllowed = new boolean[scan.kinds().size()];
        for (int k = 0; k < kindAllowed.length; k++) {
            String kind = scan.kinds().get(k);
            kindAllowed[k] = kinds.isEmpty() ? !kind.equals(HEARTBEAT) && !kind.equals("Tick") : kinds.contains(kind);
        }
        boolean[] groupAllowed = new boolean[scan.groups().size()];
        for (int g = 0; g < groupAllowed.length; g++) {
            GroupId id = scan.groups().get(g);
            groupAllowed[g] = (scope == null || id.scope().equals(scope)) && (group == null || id.group() == group);
        }
        boolean anyGroup = scope == null && group == null;
        int memberId = member == null ? -2 : scan.memberId(member);
        long fromMillis = from == null ? Long.MIN_VALUE : from.toEpochMilli();
        long toMillis = to == null ? Long.MAX_VALUE : to.toEpochMilli();
        int start = before == null ? scan.size() : Math.min(before, scan.size());
        long[] timestamps = scan.timestamps();
        List<Integer> shown = new ArrayList<>();
        int matched = 0;
        int next = -1;
        for (int i = scan.size() - 1; i >= 0; i--) {
            int g = scan.groupOf(i);
            if (!kindAllowed[scan.kindOf(i)] || (!anyGroup && (g < 0 || !groupAllowed[g]))
                    || (memberId != -2 && scan.memberOf(i) != memberId)
                    || timestamps[i] < fromMillis || timestamps[i] > toMillis) {
                continue;
            }
            matched++;
            if (i < start) {
                if (shown.size() < limit) {
                    shown.add(i);
                } else if (next < 0) {
                    next = shown.get(shown.size() - 1);
                }
            }
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int index : shown) {
            rows.add(row(store, index));
        }
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("matched", matched);
        page.put("rows", rows);
        page.put("next", next < 0 ? null : next);
        page.put("kinds", scan.kinds());
        return page;
    }

    /** One record as the timeline shows it. */
    public static Map<String, Object> row(LogStore store, int index) {
        LogRecord record = store.record(index);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("index", index);
        row.put("at", record.timestamp().toString());
        row.put("partition", record.partition());
        row.put("offset", record.offset());
        row.put("kind", EventFacts.kind(record.event()));
        GroupId group = EventFacts.group(record.event());
        row.put("scope", group == null ? null : group.scope());
        row.put("group", group == null ? null : group.group());
        row.put("member", EventFacts.member(record.event()));
        row.put("summary", EventFacts.summary(record.event()));
        return row;
    }
}
