package io.steward.audit.view;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

import io.steward.audit.log.LogStore;
import io.steward.core.config.ConfigTree;
import io.steward.core.event.AgentEvent.ClusterInitialized;
import io.steward.core.event.DeciderEvent.ConfigurationChanged;
import io.steward.core.event.LogRecord;
import io.steward.core.model.GroupId;

/**
 * Each change of a group's dynamic configuration, newest first, down to the first configuration
 * its bootstrap set (version 1): its version, who asked, and the
 * difference key by key (dotted paths, the value before and after), as {@code stewardctl
 * edit-config} would have shown it.
 */
public final class ConfigHistory {

    private ConfigHistory() {
    }

    /** The changes of {@code scope} (every group), or of every scope when null. */
    public static List<Map<String, Object>> of(LogStore store, String scope) {
        Map<GroupId, Map<String, Object>> previous = new HashMap<>();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int index : store.configChanges()) {
            LogRecord record = store.record(index);
            Map<String, Object> row = new LinkedHashMap<>();
            GroupId group;
            ConfigTree patch;
            ConfigTree config;
            switch (record.event()) {
                case ConfigurationChanged change -> {
                    group = change.group();
                    patch = change.patch();
                    config = change.config();
                    row.put("version", change.version());
                    row.put("actor", change.actor());
                    row.put("request", change.requestId());
                }
                case ClusterInitialized initialized -> {
                    if (previous.containsKey(initialized.group())) {
                        continue; // the first bootstrap set the configuration; the fold ignores the others
                    }
                    group = initialized.group();
                    patch = initialized.bootstrapConfig();
                    config = initialized.bootstrapConfig();
                    row.put("version", 1L);
                    row.put("actor", "bootstrap by " + initialized.member());
                    row.put("request", null);
                }
                default -> throw new IllegalStateException("not a configuration change: " + record.event());
            }
            Map<String, Object> after = flatten(config);
            Map<String, Object> before = previous.put(group, after);
            if (scope != null && !group.scope().equals(scope)) {
                continue;
            }
            Map<String, Object> head = new LinkedHashMap<>();
            head.put("index", index);
            head.put("at", record.timestamp().toString());
            head.put("scope", group.scope());
            head.put("group", group.group());
            head.putAll(row);
            head.put("patch", patch.toMap());
            head.put("diff", diff(before, after));
            rows.add(head);
        }
        return rows.reversed();
    }

    /** Key by key: [{key, before, after}], for the keys whose value differs. */
    static List<Map<String, Object>> diff(Map<String, Object> before, Map<String, Object> after) {
        Map<String, Object> old = before == null ? Map.of() : before;
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String key : new TreeSet<>(union(old.keySet(), after.keySet()))) {
            Object was = old.get(key);
            Object is = after.get(key);
            if (!Objects.equals(was, is)) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("key", key);
                row.put("before", was);
                row.put("after", is);
                rows.add(row);
            }
        }
        return rows;
    }

    private static java.util.Set<String> union(java.util.Set<String> a, java.util.Set<String> b) {
        java.util.Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }

    /** The tree as dotted paths to leaf values. */
    static Map<String, Object> flatten(ConfigTree tree) {
        Map<String, Object> flat = new TreeMap<>();
        flatten("", tree.toMap(), flat);
        return flat;
    }

    @SuppressWarnings("unchecked")
    private static void flatten(String prefix, Map<String, Object> map, Map<String, Object> flat) {
        map.forEach((key, value) -> {
            String path = prefix.isEmpty() ? key : prefix + "." + key;
            if (value instanceof Map<?, ?> nested && !nested.isEmpty()) {
                flatten(path, (Map<String, Object>) nested, flat);
            } else {
                flat.put(path, value);
            }
        });
    }
}
