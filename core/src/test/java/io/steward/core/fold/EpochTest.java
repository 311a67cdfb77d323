package io.steward.core.fold;

import static io.steward.core.Clusters.LSN;
import static io.steward.core.Clusters.positions;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.steward.core.Clusters;
import io.steward.core.GroupLog;
import io.steward.core.command.Command;
import io.steward.core.decide.Decision;
import io.steward.core.decide.DecisionPolicy;
import io.steward.core.event.DeciderEvent.DeciderElected;
import io.steward.core.event.DeciderEvent.FailoverDecided;
import io.steward.core.event.DeciderEvent.FailoverKind;
import io.steward.core.state.GroupState;

/** A deposed decider can change nothing; commands carry the current epoch and deterministic ids. */
class EpochTest {

    @Test
    void aDecisionFromAnOlderEpochIsIgnoredAndCounted() {
        GroupLog log = Clusters.three().elected(2);
        GroupState before = log.group();
        log.append(new FailoverDecided(1, GroupLog.GROUP, "n1", "n3", FailoverKind.AUTOMATIC, null, "stale", List.of()));
        assertThat(log.group()).isEqualTo(before);
        assertThat(log.state().partition(0).ignored()).isEqualTo(1);
    }

    @Test
    void anOlderDeciderElectedDoesNotLowerTheEpoch() {
        GroupLog log = Clusters.three().elected(5);
        log.append(new DeciderElected(3, "decider-old"));
        assertThat(log.state().partition(0).epoch()).isEqualTo(5);
    }

    @Test
    void commandsCarryTheEpochAndIdsThatReplayIdentically() {
        GroupLog log = Clusters.leaderLost(Clusters.three().elected(7), 6, positions("n2", LSN, "n3", LSN));
        Decision decision = log.decide();
        assertThat(decision.commands()).isNotEmpty().allSatisfy(command -> assertThat(command.header().epoch()).isEqualTo(7));
        List<String> ids = decision.commands().stream().map(Command::id).toList();
        assertThat(ids).doesNotHaveDuplicates().allSatisfy(id -> assertThat(id).startsWith("e7.0."));
        GroupLog replay = new GroupLog();
        log.records().forEach(record -> replay.at((record.timestamp().toEpochMilli() - GroupLog.T0.toEpochMilli()) / 1000.0)
                .append(record.event()));
        assertThat(replay.decide()).isEqualTo(decision);
    }

    @Test
    void aCommandWithoutAnswerExpiresSoRulesCanMoveOn() {
        GroupLog log = Clusters.leaderLost(Clusters.three(), 6, positions("n2", LSN, "n3", LSN));
        log.decideAndApply();
        log.at(40).refresh("n2", "n3");
        assertThat(log.decide().events().stream().map(GroupLog::describe).toList())
                .containsExactly("expired", "expired");
        assertThat(DecisionPolicy.DEFAULT.commandTimeout().toSeconds()).isEqualTo(30);
    }
}
