package io.steward.core.simulation;

import java.util.ArrayList;
import java.util.List;

/** The named invariants a simulation checks, and the violations it found. */
final class Invariants {

    /** At no instant do two members of the group accept writes. */
    static final String ONE_WRITER = "at most one writable primary per group";
    /** The decider epoch the fold holds never goes back. */
    static final String EPOCHS = "epochs never decrease";
    /** An automatic failover never picks a member further behind than maximum_lag_on_failover. */
    static final String MAX_LAG = "no promotion beyond max lag";
    /** In synchronous or quorum mode, every acknowledged commit survives every promotion. */
    static final String NO_LOSS = "no acknowledged commit lost in synchronous mode";

    private final List<String> violations = new ArrayList<>();

    void violated(String invariant, long now, String detail) {
        if (violations.size() < 20) {
            violations.add(invariant + " at " + now + " ms: " + detail);
        }
    }

    List<String> violations() {
        return List.copyOf(violations);
    }

    boolean holds(String invariant) {
        return violations.stream().noneMatch(v -> v.startsWith(invariant));
    }
}
