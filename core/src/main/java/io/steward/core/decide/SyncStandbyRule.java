package io.steward.core.decide;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

import io.steward.core.command.Command;
import io.steward.core.event.DeciderEvent.SynchronousStandbysChanged;
import io.steward.core.model.Lsn;
import io.steward.core.model.MemberState;
import io.steward.core.model.ReplicationPeer;
import io.steward.core.model.SynchronousStandbyNames;
import io.steward.core.state.PendingCommand;
import io.steward.core.state.SyncState;

/**
 * Keeps {@code synchronous_standby_names} on the primary and the set of members that may be
 * promoted (Patroni's /sync) in step, in an order that never loses an acknowledged commit.
 *
 * <p>Synchronous mode ({@code FIRST n} with n = all listed): a standby leaves the promotable set
 * before it leaves the setting, and joins the set only after the setting lists it, it confirms
 * synchronous replication, and it has flushed past the position where the setting took effect
 * (older commits were confirmed by others). Quorum mode ({@code ANY k}): the promotable voters
 * first grow (and their k shrinks), then the setting changes, then, once every voter has flushed
 * past the new setting's start, the voters shrink to the target; at every step any k voters that
 * confirm a commit overlap any quorum the decider would promote from.
 */
final class SyncStandbyRule {

    private SyncStandbyRule() {
    }

    /** What it did or waits for; null when everything is in step. */
    static String apply(DecisionContext context) {
        MemberState leader = context.leader().orElseThrow();
        SyncState sync = context.group.sync();
        if (!sync.standbys().isEmpty() && !Objects.equals(sync.leader(), leader.name())) {
            return change(context, leader, List.of(), 0, "the synchronous standbys were chosen for "
                    + sync.leader() + ", not for the leader " + leader.name());
        }
        List<String> current = sync.standbys();
        SynchronousStandbyNames actual = SynchronousStandbyNames.parse(leader.observation().synchronousStandbyNames());
        return switch (context.config().synchronousMode()) {
            case OFF -> off(context, leader, current, actual);
            case ON -> on(context, leader, current, actual);
            case QUORUM -> quorum(context, leader, current, actual);
        };
    }

    private static String off(DecisionContext context, MemberState leader, List<String> current,
                              SynchronousStandbyNames actual) {
        if (!current.isEmpty()) {
            return change(context, leader, List.of(), 0, "synchronous mode is off");
        }
        if (!actual.names().isEmpty() || actual.placeholder()) {
            return setNames(context, leader, SynchronousStandbyNames.NONE, "synchronous mode is off");
        }
        return null;
    }

    private static String on(DecisionContext context, MemberState leader, List<String> current,
                             SynchronousStandbyNames actual) {
        List<Eligible> eligible = eligible(context, leader);
        List<String> wanted = eligible.stream()
                .sorted(Comparator.comparing((Eligible e) -> !current.contains(e.name()))
                        .thenComparing(Comparator.comparingInt(Eligible::priority).reversed())
                        .thenComparing(Eligible::flush, Comparator.nullsLast(Comparator.<Lsn>naturalOrder().reversed()))
                        .thenComparing(Eligible::name))
                .limit(context.config().synchronousNodeCount())
                .map(Eligible::name).sorted().toList();
        List<String> leaving = current.stream().filter(m -> !wanted.contains(m) || !actual.names().contains(m)).toList();
        if (!leaving.isEmpty()) {
            List<String> kept = current.stream().filter(m -> !leaving.contains(m)).toList();
            return change(context, leader, kept, 0, String.join(", ", leaving)
                    + " no longer hold every acknowledged commit for sure, or should not: " + why(context, leader, leaving));
        }
        boolean strict = context.config().synchronousModeStrict();
        SynchronousStandbyNames want = wanted.isEmpty()
                ? (strict ? new SynchronousStandbyNames(false, 1, List.of(), true) : SynchronousStandbyNames.NONE)
                : new SynchronousStandbyNames(false, wanted.size(), wanted, false);
        if (!actual.sameAs(want) || (!wanted.isEmpty() && context.group.sync().barrier() == null)) {
            return setNames(context, leader, want, wanted.isEmpty()
                    ? (strict ? "no standby can be synchronous and synchronous_mode_strict is on: commits wait"
                    : "no standby can be synchronous: commits do not wait") : "synchronous standbys should be "
                    + String.join(", ", wanted));
        }
        List<String> joining = new ArrayList<>();
        for (String name : wanted) {
            if (!current.contains(name) && caughtUp(context, leader, name, true)) {
                joining.add(name);
            }
        }
        if (!joining.isEmpty()) {
            TreeSet<String> next = new TreeSet<>(current);
            next.addAll(joining);
            return change(context, leader, List.copyOf(next), 0, String.join(", ", joining)
                    + " confirmed synchronous replication and flushed past " + context.group.sync().barrier()
                    + ", where the setting took effect");
        }
        List<String> waiting = wanted.stream().filter(name -> !current.contains(name)).toList();
        return waiting.isEmpty() ? null : "waiting for " + String.join(", ", waiting)
                + " to confirm synchronous replication and flush past " + context.group.sync().barrier();
    }

    private static String quorum(DecisionContext context, MemberState leader, List<String> current,
                                 SynchronousStandbyNames actual) {
        List<String> voters = eligible(context, leader).stream().map(Eligible::name).sorted().toList();
        int k = Math.min(context.config().synchronousNodeCount(), voters.size());
        int currentK = current.size() - context.group.sync().quorum();
        if (!current.containsAll(voters) || currentK > k) {
            TreeSet<String> grown = new TreeSet<>(current);
            grown.addAll(voters);
            int newK = Math.min(currentK, k);
            return change(context, leader, List.copyOf(grown), grown.size() - newK,
                    "quorum voters grow to " + String.join(", ", grown) + " before synchronous_standby_names changes");
        }
        boolean strict = context.config().synchronousModeStrict();
        SynchronousStandbyNames want = voters.isEmpty()
                ? (strict ? new SynchronousStandbyNames(true, 1, List.of(), true) : SynchronousStandbyNames.NONE)
                : new SynchronousStandbyNames(true, k, voters, false);
        if (!actual.sameAs(want) || (!voters.isEmpty() && context.group.sync().barrier() == null)) {
            return setNames(context, leader, want, voters.isEmpty() ? "no quorum voter is available"
                    : "commits should wait for any " + k + " of " + String.join(", ", voters));
        }
        if (!current.equals(voters) || currentK != k) {
            for (String voter : voters) {
                if (!caughtUp(context, leader, voter, false)) {
                    return "waiting for " + voter + " to flush past " + context.group.sync().barrier()
                            + " before the quorum voters become " + String.join(", ", voters);
                }
            }
            return change(context, leader, voters, voters.size() - k, "any " + k + " of " + String.join(", ", voters)
                    + " confirm each commit; all of them flushed past " + context.group.sync().barrier());
        }
        return null;
    }

    /** A standby that may be synchronous now. */
    private record Eligible(String name, int priority, Lsn flush) {
    }

    private static List<Eligible> eligible(DecisionContext context, MemberState leader) {
        List<Eligible> eligible = new ArrayList<>();
        long maxLag = context.config().maximumLagOnSyncnode();
        Lsn leaderPosition = leader.observation().walPosition();
        for (MemberState member : context.group.members().values()) {
            if (member.name().equals(leader.name()) || !context.isFresh(member)
                    || !member.observation().isRunningReplica() || !member.tags().canBeSynchronous()) {
                continue;
            }
            ReplicationPeer peer = leader.observation().replicationOf(member.name());
            if (peer == null || !peer.isStreaming()) {
                continue;
            }
            if (maxLag >= 0 && leaderPosition != null && peer.flushLsn() != null
                    && leaderPosition.bytesAfter(peer.flushLsn()) > maxLag) {
                continue;
            }
            eligible.add(new Eligible(member.name(), member.tags().effectiveSyncPriority(), peer.flushLsn()));
        }
        return eligible;
    }

    private static boolean caughtUp(DecisionContext context, MemberState leader, String name, boolean confirmed) {
        ReplicationPeer peer = leader.observation().replicationOf(name);
        Lsn barrier = context.group.sync().barrier();
        return peer != null && barrier != null && peer.flushLsn() != null && peer.flushLsn().isAtLeast(barrier)
                && (!confirmed || peer.isSynchronous());
    }

    private static String why(DecisionContext context, MemberState leader, List<String> names) {
        List<String> parts = new ArrayList<>();
        for (String name : names) {
            MemberState member = context.group.members().get(name);
            ReplicationPeer peer = leader.observation().replicationOf(name);
            String reason;
            if (member == null) {
                reason = "gone";
            } else if (!context.isFresh(member)) {
                reason = "not heard from for " + Format.seconds(member.silence(context.now));
            } else if (!member.tags().canBeSynchronous()) {
                reason = "tagged nosync";
            } else if (peer == null || !peer.isStreaming()) {
                reason = "not streaming from " + leader.name();
            } else {
                reason = "another standby is preferred or the setting does not list it";
            }
            parts.add(name + ": " + reason);
        }
        return String.join("; ", parts);
    }

    private static String change(DecisionContext context, MemberState leader, List<String> standbys, int quorum,
                                 String reason) {
        context.emit(new SynchronousStandbysChanged(context.epoch(), context.group.id(), leader.name(), standbys, quorum,
                reason));
        return reason;
    }

    private static String setNames(DecisionContext context, MemberState leader, SynchronousStandbyNames want,
                                   String reason) {
        for (PendingCommand pending : context.group.commands().values()) {
            if (pending.command() instanceof Command.SetSynchronousStandbys && pending.command().member().equals(leader.name())) {
                return "waiting for " + leader.name() + " to apply synchronous_standby_names";
            }
        }
        if (context.inBackoff(leader.name())) {
            return "waiting before setting synchronous_standby_names on " + leader.name() + " again";
        }
        context.issue(new Command.SetSynchronousStandbys(context.header(leader.name()), want.names(), want.count(),
                want.quorum(), want.placeholder()), reason + ": set synchronous_standby_names to '" + want.render() + "'");
        return reason;
    }
}
