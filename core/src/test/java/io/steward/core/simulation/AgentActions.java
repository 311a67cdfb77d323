package io.steward.core.simulation;

import io.steward.core.command.Command;
import io.steward.core.event.AgentEvent.Outcome;
import io.steward.core.event.AgentEvent.StateChange;
import io.steward.core.model.Lsn;
import io.steward.core.model.PgState;
import io.steward.core.model.Role;
import io.steward.core.model.SynchronousStandbyNames;

/** What a simulated agent does with each command, mirroring the node agent's contract. */
final class AgentActions {

    private AgentActions() {
    }

    static void perform(Simulation sim, SimMember member, Command command) {
        if (command.header().epoch() < member.maxEpochSeen) {
            sim.answer(member, command, Outcome.REJECTED, "stale epoch", null);
            return;
        }
        member.maxEpochSeen = command.header().epoch();
        switch (command) {
            case Command.Promote promote -> promote(sim, member, promote);
            case Command.Demote demote -> demote(sim, member, demote);
            case Command.Follow follow -> follow(sim, member, follow);
            case Command.Restart restart -> {
                if (member.role == Role.PRIMARY && !member.holdsLease) {
                    sim.answer(member, command, Outcome.FAILED, "a primary starts only while holding the lease", null);
                    return;
                }
                member.running = true;
                sim.answer(member, command, Outcome.ACKNOWLEDGED, "restarted", null);
                sim.report(member, StateChange.STARTED, PgState.RUNNING);
            }
            case Command.SetSynchronousStandbys set -> {
                if (!member.running || member.role != Role.PRIMARY) {
                    sim.answer(member, command, Outcome.FAILED, "not a running primary", null);
                    return;
                }
                member.ssn = new SynchronousStandbyNames(set.quorum(), set.count(), set.standbys(), set.placeholder());
                sim.answer(member, command, Outcome.ACKNOWLEDGED, member.ssn.render(), member.lsn());
            }
            case Command.ApplyConfiguration apply -> {
                member.configVersion = apply.version();
                sim.answer(member, command, Outcome.ACKNOWLEDGED, "applied", null);
            }
            default -> sim.answer(member, command, Outcome.ACKNOWLEDGED, "done", null);
        }
    }

    private static void promote(Simulation sim, SimMember member, Command.Promote promote) {
        String holder = sim.leaseHolder();
        if (holder != null && !holder.equals(member.name)) {
            sim.answer(member, promote, Outcome.FAILED, "the leader lease is held by " + holder, null);
            return;
        }
        if (!member.reachesEtcd(sim.now())) {
            sim.answer(member, promote, Outcome.FAILED, "etcd unreachable", null);
            return;
        }
        if (promote.requireLsn() != null && member.lsn().compareTo(promote.requireLsn()) < 0) {
            sim.answer(member, promote, Outcome.FAILED, "did not receive " + promote.requireLsn(), null);
            return;
        }
        if (holder == null) {
            sim.acquireLease(member);
        }
        if (member.role == Role.REPLICA) {
            member.timeline++;
            member.role = Role.PRIMARY;
            member.upstream = null;
        }
        // Not strict: the new primary does not wait for standbys until the decider names them again.
        member.ssn = SynchronousStandbyNames.NONE;
        member.running = true;
        sim.promoted(member);
        sim.answer(member, promote, Outcome.ACKNOWLEDGED, "promoted", member.lsn());
        sim.report(member, StateChange.PROMOTED, PgState.RUNNING);
    }

    private static void demote(Simulation sim, SimMember member, Command.Demote demote) {
        Lsn checkpoint = member.lsn();
        member.running = false;
        sim.releaseLease(member);
        sim.answer(member, demote, Outcome.ACKNOWLEDGED, "demoted", checkpoint);
        sim.report(member, StateChange.DEMOTED, PgState.STOPPED);
    }

    private static void follow(Simulation sim, SimMember member, Command.Follow follow) {
        SimMember upstream = sim.member(follow.upstream());
        if (member.role == Role.PRIMARY && member.running) {
            member.running = false;
            sim.releaseLease(member);
        }
        if (upstream != null && !member.isPrefixOf(upstream)) {
            member.rewindTo(upstream);
            member.timeline = upstream.timeline;
        }
        member.role = Role.REPLICA;
        member.upstream = follow.upstream();
        member.ssn = SynchronousStandbyNames.NONE;
        member.running = true;
        sim.answer(member, follow, Outcome.ACKNOWLEDGED, "following " + follow.upstream(), null);
        sim.report(member, StateChange.FOLLOWING, PgState.RUNNING);
    }
}
