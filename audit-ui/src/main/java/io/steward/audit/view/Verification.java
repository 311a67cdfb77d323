package io.steward.audit.view;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import io.steward.audit.log.LogStore;
import io.steward.core.decide.DecisionPolicy;
import io.steward.core.event.LogRecord;
import io.steward.core.replay.DecisionReplay;

/**
 * The decision function run again over the recorded history: every decision in the log must be
 * exactly what the current decision logic decides on the log prefix it was based on. A difference
 * means the logic changed since (or the log was not written by it): a regression check on real
 * history before a new version is rolled out.
 */
public final class Verification {

    private Verification() {
    }

    public static Map<String, Object> run(LogStore store, DecisionPolicy policy) {
        return run(store, policy, io.steward.core.decide.Decider::decide);
    }

    /** The same against another decision function. */
    public static Map<String, Object> run(LogStore store, DecisionPolicy policy, DecisionReplay.DecisionFunction decider) {
        long start = System.nanoTime();
        int size = store.size();
        List<LogRecord> records = new ArrayList<>(size);
        Map<LogRecord, Integer> indices = new java.util.IdentityHashMap<>();
        for (int i = 0; i < size; i++) {
            LogRecord record = store.record(i);
            records.add(record);
            indices.put(record, i);
        }
        DecisionReplay.Verification result = DecisionReplay.verify(records, record -> {
            Integer index = indices.get(record);
            return index == null ? OptionalLong.empty() : store.basis(index);
        }, policy, decider);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("records", size);
        view.put("decisions_checked", result.decisionsChecked());
        view.put("differences", result.mismatches().size());
        view.put("mismatches", result.mismatches().stream().limit(100).toList());
        view.put("millis", (System.nanoTime() - start) / 1_000_000);
        return view;
    }
}
