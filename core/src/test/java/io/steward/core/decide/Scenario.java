package io.steward.core.decide;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Supplier;

import io.steward.core.GroupLog;

/**
 * One row of a decision table: a log built by {@code given}, the records the decider must append
 * (described compactly, in order), and a phrase its reason must contain.
 */
record Scenario(String name, Supplier<GroupLog> given, List<String> expected, String reason) {

    static Scenario scenario(String name, Supplier<GroupLog> given, List<String> expected, String reason) {
        return new Scenario(name, given, expected, reason);
    }

    static List<String> nothing() {
        return List.of();
    }

    /** Decides on the given log and checks the records and the reason. */
    Decision check() {
        GroupLog log = given.get();
        Decision decision = log.decide();
        assertThat(decision.events().stream().map(GroupLog::describe).toList())
                .as("records decided for '%s' (reason: %s)", name, decision.reason())
                .containsExactlyElementsOf(expected);
        assertThat(decision.reason()).as("reason for '%s'", name).contains(reason);
        // Deciding is pure: the same log gives the same decision, command ids included.
        assertThat(log.decide()).isEqualTo(decision);
        return decision;
    }

    @Override
    public String toString() {
        return name;
    }
}
