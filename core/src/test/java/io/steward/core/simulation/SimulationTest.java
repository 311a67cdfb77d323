package io.steward.core.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.steward.core.config.ConfigTree;
import io.steward.core.config.DynamicConfig;
import io.steward.core.decide.Decider;
import io.steward.core.decide.DecisionPolicy;
import io.steward.core.model.GroupId;
import io.steward.core.simulation.Simulation.DecisionFunction;
import io.steward.core.simulation.Simulation.Mode;
import io.steward.core.state.ClusterState;
import io.steward.core.state.GroupState;

/**
 * Seeded simulations under random faults, checking the invariants; and the same simulations with
 * a deliberately broken rule, to show each invariant check catches the rule it guards.
 */
class SimulationTest {

    private static final int SEEDS = 24;
    private static final long DURATION = 120_000;

    @ParameterizedTest(name = "{0} replication")
    @EnumSource(Mode.class)
    void invariantsHoldUnderRandomFaults(Mode mode) {
        List<String> violations = new ArrayList<>();
        long leaderChanges = 0;
        long switchovers = 0;
        for (long seed = 1; seed <= SEEDS; seed++) {
            Simulation simulation = new Simulation(seed * 7919 + mode.ordinal(), mode, Simulation.REAL, true);
            for (String violation : simulation.run(DURATION).violations()) {
                violations.add("seed " + seed + ": " + violation + "\n  story tail: " + tail(simulation.story()));
            }
            leaderChanges += simulation.leaderChanges();
            switchovers += simulation.switchovers();
        }
        assertThat(violations).isEmpty();
        assertThat(leaderChanges).as("leader changes across %d runs", SEEDS).isGreaterThan(SEEDS);
        assertThat(switchovers).as("switchovers completed across %d runs", SEEDS).isGreaterThan(SEEDS / 2);
    }

    @Test
    void withoutSelfFencingTwoPrimariesAcceptWrites() {
        assertThat(violationsOf(Mode.ASYNC, Simulation.REAL, false, Invariants.ONE_WRITER))
                .as("a run where an isolated primary keeps writing after a new one was promoted").isNotEmpty();
    }

    @Test
    void aDeciderIgnoringMaximumLagIsCaught() {
        DecisionFunction broken = withConfig(tree -> tree.with("maximum_lag_on_failover", 1L << 40), false);
        assertThat(violationsOf(Mode.ASYNC, broken, true, Invariants.MAX_LAG)).isNotEmpty();
    }

    @Test
    void aDeciderIgnoringTheSynchronousStandbysAtFailoverIsCaught() {
        DecisionFunction broken = withConfig(tree -> tree.with("synchronous_mode", false), true);
        assertThat(violationsOf(Mode.SYNC, broken, true, Invariants.NO_LOSS)).isNotEmpty();
    }

    @Test
    void theSameSeedReplaysTheSameRun() {
        Simulation first = new Simulation(42, Mode.SYNC, Simulation.REAL, true);
        Simulation second = new Simulation(42, Mode.SYNC, Simulation.REAL, true);
        first.run(30_000);
        second.run(30_000);
        assertThat(first.story()).isEqualTo(second.story()).isNotEmpty();
    }

    private static List<String> violationsOf(Mode mode, DecisionFunction decider, boolean fencing, String invariant) {
        List<String> found = new ArrayList<>();
        for (long seed = 1; seed <= SEEDS * 2; seed++) {
            for (String violation : new Simulation(seed, mode, decider, fencing).run(DURATION).violations()) {
                if (violation.startsWith(invariant)) {
                    found.add(violation);
                }
            }
        }
        if (!found.isEmpty()) {
            System.out.println("[simulation] the deliberately broken rule was caught " + found.size() + " times; first: "
                    + found.get(0));
        }
        return found;
    }

    /**
     * A decider that decides on a doctored configuration: always, or only while the leader lease
     * is free (that is, when it chooses a new leader).
     */
    private static DecisionFunction withConfig(UnaryOperator<ConfigTree> change, boolean onlyAtFailover) {
        return (state, group, now) -> {
            GroupState current = state.group(group).orElse(null);
            if (current == null || (onlyAtFailover && !current.lease().isFree())) {
                return Decider.decide(state, group, now, DecisionPolicy.DEFAULT);
            }
            DynamicConfig doctored = DynamicConfig.parse(current.config().version(),
                    change.apply(current.config().tree())).config();
            ClusterState altered = state.withGroup(current.withConfig(doctored));
            return Decider.decide(altered, group, now, DecisionPolicy.DEFAULT);
        };
    }

    private static String tail(List<String> story) {
        return String.join("\n    ", story.subList(Math.max(0, story.size() - 12), story.size()));
    }

    static GroupId group() {
        return io.steward.core.GroupLog.GROUP;
    }
}
