package io.steward.core.decide;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import io.steward.core.config.DynamicConfig.SynchronousMode;
import io.steward.core.event.Evidence;
import io.steward.core.model.Lsn;
import io.steward.core.model.MemberState;
import io.steward.core.model.Observation;
import io.steward.core.model.Role;

/**
 * Who may become the leader, with Patroni's rules (reference: {@code _is_healthiest_node} and
 * {@code is_failover_possible}): heard from recently, PostgreSQL running as a replica, allowed to
 * fail over, within {@code maximum_lag_on_failover} of the last known primary position, not behind
 * the group's timeline when {@code check_timeline} is on, and a synchronous standby in synchronous
 * mode. Among the eligible, the most advanced WAL position wins; {@code failover_priority} breaks
 * ties; then the name, so the choice is deterministic.
 */
final class Candidates {

    /** What the candidates are for; the checks differ. */
    enum Purpose {
        /** The leader is gone: every rule applies. */
        AUTOMATIC,
        /** A planned switchover: every rule applies; the candidate catches up before promotion. */
        SWITCHOVER,
        /** An operator names the new leader: lag and synchronous state are the operator's call. */
        MANUAL
    }

    /**
     * One member's assessment.
     *
     * @param category a stable word for why it is not eligible ("lag", "nofailover", ...), or "eligible"
     */
    record Assessment(MemberState member, Lsn position, long lagBytes, int priority, boolean eligible, String category,
                      String note) {
        String name() {
            return member.name();
        }

        Assessment asEligible(String newNote) {
            return new Assessment(member, position, lagBytes, priority, true, "eligible", newNote);
        }

        Assessment asIneligible(String newCategory, String newNote) {
            return new Assessment(member, position, lagBytes, priority, false, newCategory, newNote);
        }

        Evidence evidence(DecisionContext context) {
            Observation observation = member.observation();
            return new Evidence(member.name(), observation.role(), observation.state(), observation.timeline(),
                    position, lagBytes, member.silence(context.now).toMillis(), priority, eligible, note);
        }
    }

    /** The preferred order: most advanced first, then higher priority, then name. */
    static final Comparator<Assessment> PREFERENCE = Comparator
            .comparing(Assessment::position, Comparator.nullsFirst(Comparator.<Lsn>naturalOrder())).reversed()
            .thenComparing(Comparator.comparingInt(Assessment::priority).reversed())
            .thenComparing(Assessment::name);

    private Candidates() {
    }

    /**
     * Assesses every member but {@code excluded}.
     *
     * @param reference the position lag is measured from (the last known primary position)
     */
    static List<Assessment> assess(DecisionContext context, Purpose purpose, String excluded, Lsn reference) {
        List<Assessment> assessments = new ArrayList<>();
        for (MemberState member : context.group.members().values()) {
            if (!member.name().equals(excluded)) {
                assessments.add(assess(context, purpose, member, reference));
            }
        }
        return assessments;
    }

    static Assessment assess(DecisionContext context, Purpose purpose, MemberState member, Lsn reference) {
        Observation observation = member.observation();
        Lsn position = observation.walPosition();
        long lag = reference == null || position == null ? 0 : reference.bytesAfter(position);
        int priority = member.tags().effectiveFailoverPriority();
        String[] reason = ineligibility(context, purpose, member, position, lag);
        return reason == null
                ? new Assessment(member, position, lag, priority, true, "eligible", "eligible")
                : new Assessment(member, position, lag, priority, false, reason[0], reason[1]);
    }

    /** {category, explanation}, or null when eligible. */
    private static String[] ineligibility(DecisionContext context, Purpose purpose, MemberState member, Lsn position,
                                          long lag) {
        Observation observation = member.observation();
        if (member.isFailed()) {
            return new String[] {"failed", "held failed (" + member.failedReason() + ")"};
        }
        if (!context.isFresh(member)) {
            return new String[] {"silent", "not heard from for " + Format.seconds(member.silence(context.now))};
        }
        if (context.inBackoff(member.name())) {
            return new String[] {"backoff", "a command to it failed " + Format.seconds(java.time.Duration.between(
                    context.group.commandFailures().get(member.name()), context.now)) + " ago"};
        }
        if (!observation.state().isRunning()) {
            return new String[] {"not-running", "PostgreSQL is " + observation.state().patroniName()};
        }
        if (observation.role() != Role.REPLICA) {
            return new String[] {"role", "running as " + observation.role().patroniName()};
        }
        if (!member.tags().canFailover()) {
            return new String[] {"nofailover", member.tags().nofailover() ? "tagged nofailover" : "failover_priority is 0"};
        }
        if (position == null) {
            return new String[] {"position", "its WAL position is unknown"};
        }
        if (purpose != Purpose.MANUAL && lag > context.config().maximumLagOnFailover()) {
            return new String[] {"lag", "lags " + Format.bytes(lag) + " behind (maximum_lag_on_failover "
                    + Format.bytes(context.config().maximumLagOnFailover()) + ")"};
        }
        int clusterTimeline = context.group.timeline();
        if (purpose != Purpose.MANUAL && context.config().checkTimeline()) {
            if (observation.timeline() == 0) {
                return new String[] {"timeline", "its timeline is unknown"};
            }
            if (observation.timeline() < clusterTimeline) {
                return new String[] {"timeline", "timeline " + observation.timeline()
                        + " is behind the group's timeline " + clusterTimeline};
            }
        }
        if (purpose != Purpose.MANUAL && context.config().synchronousMode() == SynchronousMode.ON
                && !context.group.sync().contains(member.name())) {
            return new String[] {"not-sync", "not a synchronous standby"};
        }
        return null;
    }

    /** The best eligible assessment, if any. */
    static Optional<Assessment> best(List<Assessment> assessments) {
        return assessments.stream().filter(Assessment::eligible).min(PREFERENCE);
    }

    /** Evidence for every assessment, in preference order. */
    static List<Evidence> evidence(DecisionContext context, List<Assessment> assessments) {
        return assessments.stream().sorted(PREFERENCE).map(a -> a.evidence(context)).toList();
    }

    /** A stable summary of why nobody is eligible, to record a blocked failover once. */
    static String code(String prefix, List<Assessment> assessments) {
        StringBuilder code = new StringBuilder(prefix);
        assessments.stream().sorted(Comparator.comparing(Assessment::name))
                .forEach(a -> code.append('|').append(a.name()).append('=').append(a.category()));
        return code.toString();
    }

    /** "n2: lags 2.0 MiB ...; n3: tagged nofailover", for reasons. */
    static String explainIneligible(List<Assessment> assessments) {
        List<String> parts = new ArrayList<>();
        for (Assessment assessment : assessments) {
            if (!assessment.eligible()) {
                parts.add(assessment.name() + ": " + assessment.note());
            }
        }
        return parts.isEmpty() ? "no other member" : String.join("; ", parts);
    }

    /**
     * The position lag is measured from: the leader's last reported position, or a running member's
     * if one is further (a replica can report a position before the leader's next heartbeat). A
     * member whose PostgreSQL is not running does not count: what its control file says is not
     * WAL it can serve (a half-copied data directory can even claim a position from the future).
     */
    static Lsn reference(DecisionContext context) {
        Lsn reference = context.group.leaderMember().map(m -> m.observation().walPosition()).orElse(null);
        for (MemberState member : context.group.members().values()) {
            if (member.observation().state().isRunning()) {
                reference = Lsn.max(reference, member.observation().walPosition());
            }
        }
        return reference;
    }
}
