package io.steward.core.fold;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.steward.core.collect.Sorted;
import io.steward.core.command.Command;
import io.steward.core.command.Command.Demote;
import io.steward.core.command.Command.Promote;
import io.steward.core.config.DynamicConfig;
import io.steward.core.event.AgentEvent;
import io.steward.core.event.AgentEvent.ClusterInitialized;
import io.steward.core.event.AgentEvent.CommandOutcome;
import io.steward.core.event.AgentEvent.MemberObserved;
import io.steward.core.event.AgentEvent.MemberRegistered;
import io.steward.core.event.AgentEvent.MemberStateChanged;
import io.steward.core.event.AgentEvent.Outcome;
import io.steward.core.event.AgentEvent.StateChange;
import io.steward.core.event.CitusEvent.CitusGroupPaused;
import io.steward.core.event.DeciderEvent;
import io.steward.core.event.DeciderEvent.BootstrapDecided;
import io.steward.core.event.DeciderEvent.CitusPauseRequested;
import io.steward.core.event.DeciderEvent.ClusterRemoved;
import io.steward.core.event.DeciderEvent.CommandExpired;
import io.steward.core.event.DeciderEvent.CommandIssued;
import io.steward.core.event.DeciderEvent.ConfigurationChanged;
import io.steward.core.event.DeciderEvent.FailoverBlocked;
import io.steward.core.event.DeciderEvent.FailoverCompleted;
import io.steward.core.event.DeciderEvent.FailoverDecided;
import io.steward.core.event.DeciderEvent.FailoverKind;
import io.steward.core.event.DeciderEvent.LeaderLeaseChanged;
import io.steward.core.event.DeciderEvent.MaintenanceModeChanged;
import io.steward.core.event.DeciderEvent.MemberDeclaredFailed;
import io.steward.core.event.DeciderEvent.RequestAnswered;
import io.steward.core.event.DeciderEvent.ScheduledActionCancelled;
import io.steward.core.event.DeciderEvent.ScheduledActionSet;
import io.steward.core.event.DeciderEvent.SwitchoverAborted;
import io.steward.core.event.DeciderEvent.SwitchoverCompleted;
import io.steward.core.event.DeciderEvent.SwitchoverStarted;
import io.steward.core.event.DeciderEvent.SynchronousStandbysChanged;
import io.steward.core.event.Event;
import io.steward.core.event.OperatorRequest;
import io.steward.core.model.MemberInfo;
import io.steward.core.model.MemberState;
import io.steward.core.model.Observation;
import io.steward.core.state.BootstrapState;
import io.steward.core.state.CitusPause;
import io.steward.core.state.GroupState;
import io.steward.core.state.HistoryEntry;
import io.steward.core.state.LeaderLease;
import io.steward.core.state.OpenRequest;
import io.steward.core.state.PendingCommand;
import io.steward.core.state.ScheduledAction;
import io.steward.core.state.SyncState;
import io.steward.core.state.Transition;
import io.steward.core.state.Transition.Demotion;
import io.steward.core.state.Transition.Promotion;

/** Folds one event into one group's state. Pure and total; see {@link ClusterFold}. */
final class GroupFold {

    /** The actor recorded for changes nobody asked for. */
    static final String DECIDER = "decider";

    private GroupFold() {
    }

    static GroupState apply(GroupState group, Event event, Instant now) {
        return switch (event) {
            case AgentEvent agentEvent -> applyAgentEvent(group, agentEvent, now);
            case OperatorRequest request -> group.withRequests(Sorted.append(group.requests(), new OpenRequest(request, now)));
            case CitusGroupPaused paused -> group.citusPause() != null && !group.citusPause().isPaused()
                    && group.citusPause().requestId().equals(paused.requestId())
                    ? group.withCitusPause(group.citusPause().paused(now, "coordinator " + paused.member() + " paused "
                    + paused.pausedPrimary())) : group;
            case io.steward.core.event.CitusEvent citus -> group;
            case LeaderLeaseChanged lease -> group.lease().isNewerThan(lease.revision(), lease.epoch()) ? group
                    : group.withLease(new LeaderLease(lease.holder(), lease.revision(), now, lease.epoch()));
            case BootstrapDecided decided -> group.withBootstrap(
                    new BootstrapState(decided.member(), decided.adoptExistingData(), now, null));
            case MemberDeclaredFailed failed -> group.member(failed.member())
                    .map(member -> withoutCitusPauseFor(group, failed.member()).withMember(member.withFailed(failed.reason())))
                    .orElse(group);
            case FailoverDecided decided -> group.withLeader(decided.newLeader()).withBlockedCode(null).withCitusPause(null)
                    .withTransition(
                    new Promotion(decided.kind() == FailoverKind.MANUAL ? Transition.Kind.MANUAL_FAILOVER
                            : Transition.Kind.FAILOVER, decided.oldLeader(), decided.newLeader(), decided.requestId(),
                            actorOf(group, decided.requestId()), decided.reason(), now, null, null, 0, null));
            case FailoverCompleted completed -> completeTransition(group);
            case FailoverBlocked blocked -> failoverBlocked(group, blocked);
            case SwitchoverStarted started -> group.withBlockedCode(null)
                    .withScheduled(withoutScheduled(group, started.requestId()))
                    .withTransition(new Demotion(Transition.Kind.SWITCHOVER, started.from(), started.to(),
                            started.requestId(), actorOf(group, started.requestId()), started.reason(), now, null,
                            isFailoverRequest(group, started.requestId()), null));
            case SwitchoverCompleted completed -> completeTransition(group);
            case SwitchoverAborted aborted -> group.transition() instanceof Demotion demotion
                    ? group.withTransition(null).withCitusPause(null).withLeader(demotion.from())
                    : group.withTransition(null).withCitusPause(null);
            case CitusPauseRequested requested -> group.withCitusPause(new CitusPause(requested.action(),
                    requested.member(), requested.requestId(), requested.restartTimeout(), requested.reason(), now,
                    null, null));
            case SynchronousStandbysChanged changed -> group.withSync(new SyncState(changed.leader(),
                    changed.standbys(), changed.quorum(), group.sync().barrier()));
            case ConfigurationChanged changed -> group.withConfig(
                    DynamicConfig.parse(changed.version(), changed.config()).config());
            case MaintenanceModeChanged maintenance -> group.withPaused(maintenance.paused());
            case ScheduledActionSet set -> group.withScheduled(Sorted.with(group.scheduled(), set.action(),
                    new ScheduledAction(set.action(), set.at(), set.request())));
            case ScheduledActionCancelled cancelled -> group.withScheduled(Sorted.without(group.scheduled(),
                    cancelled.action()));
            case CommandIssued issued -> applyCommandIssued(group, issued.command(), now);
            case CommandExpired expired -> commandFinished(group, expired.commandId(), false, now);
            case RequestAnswered answered -> group.withRequests(group.requests().stream()
                    .filter(open -> !open.request().requestId().equals(answered.requestId())).toList());
            case DeciderEvent.GroupStuck stuck -> group.withStuck(stuck.reason());
            case DeciderEvent.GroupUnstuck unstuck -> group.withStuck(null);
            case ClusterRemoved removed -> group;
            case DeciderEvent.PartitionControl control -> group;
        };
    }

    // ---- agent facts ------------------------------------------------------------------------

    private static GroupState applyAgentEvent(GroupState group, AgentEvent event, Instant now) {
        return switch (event) {
            case MemberRegistered registered -> register(group, registered, now);
            case MemberObserved observed -> observe(group, observed, now);
            case MemberStateChanged changed -> stateChanged(group, changed, now);
            case ClusterInitialized initialized -> initialized(group, initialized, now);
            case CommandOutcome outcome -> commandOutcome(group, outcome, now);
        };
    }

    private static GroupState register(GroupState group, MemberRegistered registered, Instant now) {
        MemberInfo info = new MemberInfo(registered.incarnation(), registered.endpoints(), registered.tags(),
                registered.version());
        MemberState existing = group.members().get(registered.member());
        if (existing == null) {
            return group.withMember(MemberState.registered(registered.member(), info, registered.systemIdentifier(), now));
        }
        Observation observation = existing.observation();
        if (registered.systemIdentifier() != null && observation.systemIdentifier() == null) {
            observation = observation.withSystemIdentifier(registered.systemIdentifier());
        }
        return group.withMember(new MemberState(existing.name(), info, observation, -1, existing.registeredAt(), now,
                existing.stateSince(), null));
    }

    private static GroupState observe(GroupState group, MemberObserved observed, Instant now) {
        MemberState existing = group.members().get(observed.member());
        MemberInfo info;
        if (existing == null) {
            info = new MemberInfo(observed.incarnation(), observed.endpoints(), observed.tags(), null);
            existing = new MemberState(observed.member(), info, Observation.NONE, -1, now, now, now, null);
        } else if (existing.info().incarnation().equals(observed.incarnation())) {
            if (observed.sequence() <= existing.sequence()) {
                return group; // a duplicate or a reordered older heartbeat
            }
            info = sameInfo(existing.info(), observed) ? existing.info() : new MemberInfo(observed.incarnation(),
                    observed.endpoints(), observed.tags(), existing.info().version());
        } else {
            info = new MemberInfo(observed.incarnation(), observed.endpoints(), observed.tags(), existing.info().version());
        }
        MemberState updated = existing.observed(info, observed.observation(), observed.sequence(), now);
        GroupState next = group.withMember(updated);
        Observation observation = observed.observation();
        if (next.transition() instanceof Promotion promotion && !promotion.isPromoted()
                && promotion.to().equals(observed.member()) && promotion.commandId() != null
                && observation.isRunningPrimary() && observation.timeline() > 0
                && !next.hasPendingCommandFor(observed.member())) {
            next = next.withTransition(promotion.promoted(now, observation.timeline(), observation.writeLsn()));
        }
        return next;
    }

    /** Heartbeats repeat the member's tags and endpoints; keep the same value when they did not change. */
    private static boolean sameInfo(MemberInfo info, MemberObserved observed) {
        return info.endpoints().equals(observed.endpoints()) && info.tags().equals(observed.tags());
    }

    private static GroupState stateChanged(GroupState group, MemberStateChanged changed, Instant now) {
        MemberState member = group.members().get(changed.member());
        if (member == null) {
            return group;
        }
        Observation observation = member.observation().withState(changed.role(), changed.state(), changed.timeline());
        if (changed.change() == StateChange.FOLLOWING) {
            observation = observation.withUpstream(changed.detail());
        }
        GroupState next = group.withMember(member.withObservation(observation, member.sequence(), now));
        if (changed.change() == StateChange.PROMOTED && next.transition() instanceof Promotion promotion
                && promotion.to().equals(changed.member()) && !promotion.isPromoted()) {
            next = next.withTransition(promotion.promoted(now, changed.timeline(), changed.lsn()));
        }
        if (changed.change() == StateChange.DEMOTED && next.transition() instanceof Demotion demotion
                && demotion.from().equals(changed.member()) && demotion.checkpoint() == null
                && changed.lsn() != null) {
            next = next.withTransition(demotion.withCheckpoint(changed.lsn()));
        }
        return next;
    }

    private static GroupState initialized(GroupState group, ClusterInitialized initialized, Instant now) {
        if (group.isInitialized()) {
            return group; // the first initialization wins; a second is a fact the decider reports, not a new cluster
        }
        BootstrapState bootstrap = group.bootstrap() == null
                ? new BootstrapState(initialized.member(), false, now, initialized.systemIdentifier())
                : new BootstrapState(group.bootstrap().member(), group.bootstrap().adoptExistingData(),
                group.bootstrap().decidedAt(), initialized.systemIdentifier());
        GroupState next = group.withBootstrap(bootstrap).withLeader(initialized.member());
        if (next.config().version() == 0) {
            next = next.withConfig(DynamicConfig.parse(1, initialized.bootstrapConfig()).config());
        }
        MemberState member = next.members().get(initialized.member());
        if (member != null && member.observation().systemIdentifier() == null) {
            next = next.withMember(member.withObservation(
                    member.observation().withSystemIdentifier(initialized.systemIdentifier()), member.sequence(), now));
        }
        return next;
    }

    private static GroupState commandOutcome(GroupState group, CommandOutcome outcome, Instant now) {
        PendingCommand pending = group.commands().get(outcome.commandId());
        GroupState next = group.member(outcome.member())
                .map(member -> group.withMember(member.seenAt(now))).orElse(group);
        if (pending == null) {
            return next;
        }
        boolean succeeded = outcome.outcome() == Outcome.ACKNOWLEDGED;
        if (succeeded && pending.command() instanceof Demote && next.transition() instanceof Demotion demotion
                && outcome.commandId().equals(demotion.commandId()) && demotion.checkpoint() == null) {
            next = next.withTransition(demotion.withCheckpoint(
                    outcome.lsn() != null ? outcome.lsn() : io.steward.core.model.Lsn.ZERO));
        }
        if (succeeded && pending.command() instanceof Command.SetSynchronousStandbys && outcome.lsn() != null) {
            next = next.withSync(next.sync().withBarrier(outcome.lsn()));
        }
        return commandFinished(next, outcome.commandId(), succeeded, now);
    }

    // ---- decisions ---------------------------------------------------------------------------

    private static GroupState applyCommandIssued(GroupState group, Command command, Instant now) {
        String incarnation = group.member(command.member()).map(member -> member.info().incarnation()).orElse(null);
        GroupState next = releasesCitusPause(group, command) ? group.withCitusPause(null) : group;
        next = next.withCommands(Sorted.with(group.commands(), command.id(),
                new PendingCommand(command, now, incarnation)));
        if (command instanceof Promote && next.transition() instanceof Promotion promotion
                && promotion.to().equals(command.member()) && promotion.commandId() == null) {
            next = next.withTransition(promotion.withCommand(command.id()));
        } else if (command instanceof Promote && next.transition() instanceof Demotion demotion
                && demotion.checkpoint() != null) {
            next = next.withTransition(demotion.toPromotion(command.member(), command.id())).withLeader(command.member());
        } else if (command instanceof Demote && next.transition() instanceof Demotion demotion
                && demotion.from().equals(command.member()) && demotion.commandId() == null) {
            next = next.withTransition(demotion.withCommand(command.id()));
        }
        return next;
    }

    /** Whether {@code command} is the stop a Citus pause was held for. */
    private static boolean releasesCitusPause(GroupState group, Command command) {
        CitusPause pause = group.citusPause();
        return pause != null && pause.member().equals(command.member()) && switch (pause.action()) {
            case DEMOTE -> command instanceof Demote;
            case RESTART -> command instanceof Command.Restart;
        };
    }

    private static GroupState withoutCitusPauseFor(GroupState group, String member) {
        return group.citusPause() != null && group.citusPause().member().equals(member) ? group.withCitusPause(null) : group;
    }

    private static GroupState commandFinished(GroupState group, String commandId, boolean succeeded, Instant now) {
        PendingCommand pending = group.commands().get(commandId);
        if (pending == null) {
            return group;
        }
        GroupState next = group.withCommands(Sorted.without(group.commands(), commandId));
        if (!succeeded && !addressedToEarlierAgent(group, pending)) {
            next = next.withCommandFailures(Sorted.with(next.commandFailures(), pending.command().member(), now));
        }
        return next;
    }

    /** A command its member's earlier agent never answered says nothing about the member now. */
    private static boolean addressedToEarlierAgent(GroupState group, PendingCommand pending) {
        return pending.incarnation() != null && group.member(pending.command().member())
                .map(member -> !member.info().incarnation().equals(pending.incarnation())).orElse(false);
    }

    private static GroupState completeTransition(GroupState group) {
        if (!(group.transition() instanceof Promotion promotion)) {
            return group.withTransition(null);
        }
        List<HistoryEntry> history = new ArrayList<>(group.history());
        Instant at = promotion.promotedAt() != null ? promotion.promotedAt() : promotion.startedAt();
        history.add(new HistoryEntry(Math.max(0, promotion.timeline() - 1), promotion.switchLsn(), promotion.reason(),
                at, promotion.to(), promotion.from(), promotion.actor(), promotion.requestId()));
        int keep = group.config().maxTimelinesHistory();
        List<HistoryEntry> kept = keep > 0 && history.size() > keep
                ? history.subList(history.size() - keep, history.size()) : history;
        // A new primary starts with no synchronous standby guaranteed to hold its commits.
        return group.withTransition(null).withLeader(promotion.to()).withHistory(kept)
                .withSync(new SyncState(promotion.to(), List.of(), 0, null));
    }

    private static String actorOf(GroupState group, String requestId) {
        if (requestId == null) {
            return DECIDER;
        }
        for (OpenRequest open : group.requests()) {
            if (open.request().requestId().equals(requestId)) {
                return open.request().header().actor();
            }
        }
        for (ScheduledAction action : group.scheduled().values()) {
            if (action.request().requestId().equals(requestId)) {
                return action.request().header().actor();
            }
        }
        return "operator";
    }

    /** A blocked failover also ends a promotion attempt whose command came back without a promotion. */
    private static GroupState failoverBlocked(GroupState group, FailoverBlocked blocked) {
        GroupState next = group.withBlockedCode(blocked.code());
        if (next.transition() instanceof Promotion promotion && !promotion.isPromoted()
                && (promotion.commandId() == null || !next.commands().containsKey(promotion.commandId()))) {
            next = next.withTransition(null);
        }
        return next;
    }

    private static java.util.SortedMap<OperatorRequest.ActionKind, ScheduledAction> withoutScheduled(GroupState group,
                                                                                                   String requestId) {
        java.util.SortedMap<OperatorRequest.ActionKind, ScheduledAction> kept = group.scheduled();
        for (ScheduledAction action : group.scheduled().values()) {
            if (requestId != null && action.request().requestId().equals(requestId)) {
                kept = Sorted.without(kept, action.kind());
            }
        }
        return kept;
    }

    private static boolean isFailoverRequest(GroupState group, String requestId) {
        for (OpenRequest open : group.requests()) {
            if (open.request().requestId().equals(requestId)) {
                return open.request() instanceof OperatorRequest.FailoverRequested;
            }
        }
        return false;
    }
}
