package io.steward.core.decide;

import java.util.ArrayList;
import java.util.List;

import io.steward.core.command.Command;
import io.steward.core.model.MemberState;
import io.steward.core.model.Observation;
import io.steward.core.model.Role;
import io.steward.core.model.SlotNames;

/**
 * Keeps every other member a streaming replica of the healthy leader: clones members without data
 * (from a {@code clonefrom} replica when there is one), starts stopped replicas, rejoins former
 * primaries (rewinding them when their history diverged), and points replicas at the leader or at
 * their {@code replicatefrom} member.
 */
final class ReplicaRule {

    private ReplicaRule() {
    }

    /** Returns a line per member still being brought in line, for the status. */
    static List<String> apply(DecisionContext context) {
        MemberState leader = context.leader().orElseThrow();
        Long systemIdentifier = context.group.bootstrap().systemIdentifier();
        List<String> notes = new ArrayList<>();
        for (MemberState member : context.group.members().values()) {
            if (member.name().equals(leader.name()) || !context.isFresh(member)) {
                continue;
            }
            Observation observation = member.observation();
            if (observation.systemIdentifier() != null && !observation.systemIdentifier().equals(systemIdentifier)) {
                notes.add(member.name() + " belongs to a different cluster (system id " + observation.systemIdentifier()
                        + ", the group's is " + systemIdentifier + "); it is left alone");
                continue;
            }
            if (context.group.hasPendingCommandFor(member.name()) || context.inBackoff(member.name())) {
                continue;
            }
            if (observation.state().isBeingPrepared()) {
                notes.add(member.name() + " is " + observation.state().patroniName());
                continue;
            }
            MemberState upstream = upstreamOf(context, member, leader);
            if (observation.systemIdentifier() == null) {
                MemberState source = cloneSource(context, member, leader);
                context.issue(new Command.Clone(context.header(member.name()), source.name(), source.endpoints(),
                        leader.name(), leader.endpoints(), SlotNames.forMember(member.name())),
                        member.name() + " has no data: clone it from " + source.name());
            } else if (observation.role() == Role.PRIMARY) {
                context.issue(context.follow(member.name(), upstream), member.name()
                        + " is a former primary: rejoin it as a replica of " + upstream.name()
                        + (context.config().usePgRewind() ? ", rewinding if its history diverged" : ""));
            } else if (!observation.state().isRunning()) {
                context.issue(context.follow(member.name(), upstream), member.name() + " is "
                        + observation.state().patroniName() + ": start it as a replica of " + upstream.name());
            } else if (!upstream.name().equals(observation.upstream())) {
                context.issue(context.follow(member.name(), upstream), member.name() + " streams from "
                        + (observation.upstream() == null ? "nobody" : observation.upstream()) + ": follow "
                        + upstream.name());
            }
        }
        return notes;
    }

    /** The leader, or the member's {@code replicatefrom} member when that one runs as a replica. */
    static MemberState upstreamOf(DecisionContext context, MemberState member, MemberState leader) {
        String preferred = member.tags().replicatefrom();
        if (preferred != null && !preferred.equals(member.name())) {
            MemberState cascade = context.group.members().get(preferred);
            if (cascade != null && context.isFresh(cascade) && cascade.observation().isRunningReplica()) {
                return cascade;
            }
        }
        return leader;
    }

    private static MemberState cloneSource(DecisionContext context, MemberState member, MemberState leader) {
        for (MemberState candidate : context.group.members().values()) {
            if (candidate.tags().clonefrom() && !candidate.name().equals(member.name()) && context.isFresh(candidate)
                    && candidate.observation().isRunningReplica()) {
                return candidate;
            }
        }
        return leader;
    }
}
