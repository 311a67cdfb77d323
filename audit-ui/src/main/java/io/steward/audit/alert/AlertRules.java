package io.steward.audit.alert;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

import io.steward.audit.alert.AlertChange.Status;
import io.steward.audit.log.EventFacts;
import io.steward.core.event.AgentEvent.MemberObserved;
import io.steward.core.event.AgentEvent.MemberStateChanged;
import io.steward.core.event.CitusEvent;
import io.steward.core.event.CitusEvent.CitusTopologyApplied;
import io.steward.core.event.CitusEvent.CitusTopologyFailed;
import io.steward.core.event.DeciderEvent.DeciderElected;
import io.steward.core.event.DeciderEvent.SynchronousStandbysChanged;
import io.steward.core.event.Event;
import io.steward.core.event.LogRecord;
import io.steward.core.model.GroupId;
import io.steward.core.model.Lsn;
import io.steward.core.model.MemberState;
import io.steward.core.model.PgState;
import io.steward.core.model.Role;
import io.steward.core.state.ClusterState;
import io.steward.core.state.GroupState;
import io.steward.core.state.Transition;
import io.steward.core.state.Transition.Promotion;

/**
 * The alerting rules over the event log: for each record, with the folded state before and after it,
 * which alerts start firing and which are resolved.
 *
 * <p>Deterministic: the only time is the log's (the partition clock the fold keeps from broker
 * timestamps), so the same records in the same order yield the same changes, live or in a replay.
 * The rules look at the group the record is about, after the record; the time-driven one (maintenance
 * mode held too long) is also checked on every other record of the group's partition, ticks included.
 * An alert is identified by its name, group and member: a rule finding an alert firing while it
 * fires changes nothing (so the heartbeats and ticks around a killed primary raise nothing new), a
 * rule finding it resolved while it is not firing changes nothing, and a rule that has no opinion on
 * a record says nothing, which keeps the alert as it is. Records the fold ignored (a deposed
 * decider's) are passed over.
 *
 * <p>Not thread-safe: the one consumer thread that folds the log owns it.
 */
public final class AlertRules {

    public static final String FAILOVER = "StewardFailover";
    public static final String SWITCHOVER = "StewardSwitchover";
    public static final String MEMBER_DOWN = "StewardMemberDown";
    public static final String PRIMARY_DOWN = "StewardPrimaryDown";
    public static final String REPLICATION_LAG = "StewardReplicationLag";
    public static final String SYNC_STANDBY_LOST = "StewardSyncStandbyLost";
    public static final String DECIDER_CHANGED = "StewardDeciderChanged";
    public static final String PAUSED_TOO_LONG = "StewardPausedTooLong";
    public static final String CITUS_TOPOLOGY_FAILED = "StewardCitusTopologyFailed";
    public static final List<String> NAMES = List.of(FAILOVER, SWITCHOVER, MEMBER_DOWN, PRIMARY_DOWN, REPLICATION_LAG,
            SYNC_STANDBY_LOST, DECIDER_CHANGED, PAUSED_TOO_LONG, CITUS_TOPOLOGY_FAILED);

    private static final String CRITICAL = "critical";
    private static final String WARNING = "warning";
    private static final String INFO = "info";
    /** States in which a leader is down without anyone having stopped it. */
    private static final Set<PgState> BROKEN = EnumSet.of(PgState.CRASHED, PgState.START_FAILED,
            PgState.RESTART_FAILED, PgState.STOP_FAILED);

    /**
     * Thresholds and links.
     *
     * @param baseUrl     the audit UI's address; alerts link to {@code baseUrl/#/group/<scope>/<group>}
     * @param maxLagBytes a replica further behind its leader's write position raises {@value #REPLICATION_LAG}
     * @param maxPaused   maintenance mode held longer raises {@value #PAUSED_TOO_LONG}
     * @param oneShotFor  how long a one-shot alert ({@value #DECIDER_CHANGED}) shows before it ends by itself
     */
    public record Policy(String baseUrl, long maxLagBytes, Duration maxPaused, Duration oneShotFor) {
        public Policy {
            baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
            Objects.requireNonNull(maxPaused, "maxPaused");
            Objects.requireNonNull(oneShotFor, "oneShotFor");
        }

        /** 16 MiB of lag, one hour of maintenance mode, five minutes for one-shots. */
        public static Policy defaults(String baseUrl) {
            return new Policy(baseUrl, 16L << 20, Duration.ofHours(1), Duration.ofMinutes(5));
        }
    }

    /** What one rule says about one alert: firing, or resolved. */
    private record Finding(String name, GroupId group, String member, boolean firing, String severity,
                           String summary, String description) {
        String key() {
            return group.key() + "|" + name + "|" + (member == null ? "" : member);
        }
    }

    /** The group a rule looks at, after the record, and the record's event. */
    private record Input(GroupState group, Event event, Instant now) {
    }

    /** One rule over one group; adds nothing when it has no opinion. */
    private interface GroupRule {
        void check(Input in, List<Finding> out);
    }

    private final Policy policy;
    private final List<GroupRule> rules = List.of(this::failover, this::switchover, this::primaryDown,
            this::memberDown, this::replicationLag, this::syncStandbyLost, this::pausedTooLong);
    private final SortedMap<String, Alert> active = new TreeMap<>();
    private final SortedMap<GroupId, Instant> pausedSince = new TreeMap<>();
    private long deciderEpoch;
    private String deciderInstance;

    public AlertRules(Policy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    /** The alerts firing now (not the one-shots), ordered by group, name and member. */
    public List<Alert> active() {
        return List.copyOf(active.values());
    }

    /**
     * The alerts that start and end at {@code record}, in a deterministic order.
     *
     * @param before the state before the record ({@code ClusterFold.apply(before, record)} is {@code after})
     */
    public List<AlertChange> apply(ClusterState before, LogRecord record, ClusterState after) {
        int partition = record.partition();
        Instant now = after.partition(partition).clock();
        List<AlertChange> changes = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();
        if (accepted(before, record, after)) {
            Event event = record.event();
            switch (event) {
                case DeciderElected elected -> deciderChanged(elected, now, changes);
                case CitusEvent citus -> citusTopologyFailed(citus, findings);
                default -> { }
            }
            GroupId id = EventFacts.group(event);
            GroupState group = id == null ? null : after.groups().get(id);
            if (group != null) {
                Input in = new Input(group, event, now);
                rules.forEach(rule -> rule.check(in, findings));
            } else if (id != null && before.groups().get(id) != null) {
                removed(id, findings);
            }
        }
        for (Map.Entry<GroupId, Instant> paused : pausedSince.entrySet()) {
            after.group(paused.getKey()).filter(group -> group.partition() == partition)
                    .ifPresent(group -> pausedLongerThanAllowed(group, paused.getValue(), now, findings));
        }
        settle(findings, now, changes);
        return changes;
    }

    /** Whether the fold took the record: it counts the records it ignores (a deposed decider's). */
    static boolean accepted(ClusterState before, LogRecord record, ClusterState after) {
        return after.partition(record.partition()).ignored() == before.partition(record.partition()).ignored();
    }

    // ---- the rules, one per alert ---------------------------------------------------------------

    /** A failover lasts until its new leader runs as a healthy primary, or it ends otherwise. */
    private void failover(Input in, List<Finding> out) {
        GroupState group = in.group();
        if (group.transition() instanceof Promotion promotion && promotion.kind() != Transition.Kind.SWITCHOVER
                && !hasHealthyPrimary(group)) {
            String kind = promotion.kind() == Transition.Kind.MANUAL_FAILOVER ? "Manual" : "Automatic";
            out.add(fire(FAILOVER, CRITICAL, group.id(), null, kind + " failover in " + group.id() + ": "
                    + name(promotion.from()) + " -> " + promotion.to(), promotion.reason()));
        } else {
            out.add(clear(FAILOVER, group.id(), null));
        }
    }

    /** A switchover is planned: worth knowing, never a page. */
    private void switchover(Input in, List<Finding> out) {
        GroupState group = in.group();
        if (isSwitchover(group)) {
            Transition switchover = group.transition();
            out.add(fire(SWITCHOVER, INFO, group.id(), null, "Switchover in " + group.id() + ": " + switchover.from()
                    + " -> " + name(switchover.to()), switchover.reason() + " (asked by " + switchover.actor() + ")"));
        } else {
            out.add(clear(SWITCHOVER, group.id(), null));
        }
    }

    /**
     * No running primary, and something says it was lost (not a group still starting, nor a planned
     * switchover); resolved once a leader runs as primary again.
     */
    private void primaryDown(Input in, List<Finding> out) {
        GroupState group = in.group();
        if (hasHealthyPrimary(group)) {
            out.add(clear(PRIMARY_DOWN, group.id(), null));
            return;
        }
        String outage = group.isInitialized() && !isSwitchover(group) ? outage(group) : null;
        if (outage != null) {
            out.add(fire(PRIMARY_DOWN, CRITICAL, group.id(), null, "No healthy primary in " + group.id(), outage));
        }
    }

    /** Held failed by the decider, until heard from again as running. */
    private void memberDown(Input in, List<Finding> out) {
        GroupState group = in.group();
        for (MemberState member : group.members().values()) {
            if (member.isFailed()) {
                boolean leader = member.name().equals(group.leader());
                out.add(fire(MEMBER_DOWN, leader ? CRITICAL : WARNING, group.id(), member.name(),
                        (leader ? "Leader " : "Member ") + member.name() + " of " + group.id() + " is down",
                        member.failedReason()));
            } else if (reportsItself(in.event(), member) && member.observation().state().isRunning()) {
                out.add(clear(MEMBER_DOWN, group.id(), member.name()));
            }
        }
    }

    /** A replica's WAL position further behind the leader's write position than allowed. */
    private void replicationLag(Input in, List<Finding> out) {
        GroupState group = in.group();
        Lsn head = group.leaderMember().filter(leader -> !leader.isFailed() && leader.observation().isRunningPrimary())
                .map(leader -> leader.observation().writeLsn()).orElse(null);
        for (MemberState member : group.members().values()) {
            Lsn position = member.observation().walPosition();
            if (member.name().equals(group.leader()) || member.observation().role() != Role.REPLICA) {
                out.add(clear(REPLICATION_LAG, group.id(), member.name()));
            } else if (head != null && position != null) {
                long lag = head.bytesAfter(position);
                out.add(lag <= policy.maxLagBytes() ? clear(REPLICATION_LAG, group.id(), member.name())
                        : fire(REPLICATION_LAG, WARNING, group.id(), member.name(), "Replica " + member.name() + " of "
                        + group.id() + " lags " + mebibytes(lag), member.name() + " has WAL up to " + position
                        + ", leader " + group.leader() + " writes at " + head + ": " + lag + " bytes behind (more than "
                        + policy.maxLagBytes() + ")"));
            }
        }
    }

    /** In synchronous mode, the decider named no synchronous standby: commits wait or lose their guarantee. */
    private void syncStandbyLost(Input in, List<Finding> out) {
        GroupState group = in.group();
        if (!group.config().synchronousMode().isSynchronous() || !group.sync().standbys().isEmpty()) {
            out.add(clear(SYNC_STANDBY_LOST, group.id(), null));
        } else if (in.event() instanceof SynchronousStandbysChanged changed) {
            out.add(fire(SYNC_STANDBY_LOST, CRITICAL, group.id(), null, "No synchronous standby in " + group.id(),
                    changed.reason()));
        }
    }

    /** Maintenance mode is fine for a while; forgotten, it leaves the group without automatic failover. */
    private void pausedTooLong(Input in, List<Finding> out) {
        GroupState group = in.group();
        if (!group.paused()) {
            pausedSince.remove(group.id());
            out.add(clear(PAUSED_TOO_LONG, group.id(), null));
        } else {
            pausedLongerThanAllowed(group, pausedSince.computeIfAbsent(group.id(), id -> in.now()), in.now(), out);
        }
    }

    private void pausedLongerThanAllowed(GroupState group, Instant since, Instant now, List<Finding> out) {
        if (Duration.between(since, now).compareTo(policy.maxPaused()) > 0) {
            out.add(fire(PAUSED_TOO_LONG, WARNING, group.id(), null, group.id() + " in maintenance mode for more than "
                    + policy.maxPaused(), "Paused since " + since + ": no automatic failover while paused"));
        }
    }

    /** citus-sync could not apply a plan on a coordinator; it retries, and the next plan applied there resolves it. */
    private static void citusTopologyFailed(CitusEvent event, List<Finding> out) {
        if (event instanceof CitusTopologyFailed failed) {
            out.add(fire(CITUS_TOPOLOGY_FAILED, WARNING, failed.coordinator(), null, "Citus topology of "
                    + failed.coordinator().scope() + " could not be applied", failed.reason()));
        } else if (event instanceof CitusTopologyApplied applied) {
            out.add(clear(CITUS_TOPOLOGY_FAILED, applied.coordinator(), null));
        }
    }

    /** A new decider took over (not the first one elected): one-shot, as nothing is left to resolve. */
    private void deciderChanged(DeciderElected elected, Instant now, List<AlertChange> changes) {
        if (elected.epoch() <= deciderEpoch) {
            return; // the same election, read in another partition
        }
        String previous = deciderInstance;
        long previousEpoch = deciderEpoch;
        deciderEpoch = elected.epoch();
        deciderInstance = elected.instance();
        if (previous != null) {
            SortedMap<String, String> labels = new TreeMap<>(Map.of("alertname", DECIDER_CHANGED, "severity", INFO));
            Map<String, String> annotations = Map.of("summary", "Decider " + elected.instance() + " took over",
                    "description", elected.instance() + " (epoch " + elected.epoch() + ") replaced " + previous
                            + " (epoch " + previousEpoch + ")");
            changes.add(new AlertChange(Status.FIRING, new Alert(labels, new TreeMap<>(annotations), now,
                    now.plus(policy.oneShotFor()), policy.baseUrl() + "/#/decider")));
        }
    }

    /** A removed group leaves nothing firing. */
    private void removed(GroupId id, List<Finding> out) {
        pausedSince.remove(id);
        for (Alert alert : active.values()) {
            if (alert.labels().get("scope").equals(id.scope()) && alert.labels().get("group").equals(
                    String.valueOf(id.group()))) {
                out.add(clear(alert.name(), id, alert.labels().get("member")));
            }
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    private void settle(List<Finding> findings, Instant now, List<AlertChange> changes) {
        for (Finding finding : findings) {
            String key = finding.key();
            Alert current = active.get(key);
            if (finding.firing() && current == null) {
                Alert alert = alert(finding, now);
                active.put(key, alert);
                changes.add(new AlertChange(Status.FIRING, alert));
            } else if (!finding.firing() && current != null) {
                active.remove(key);
                changes.add(new AlertChange(Status.RESOLVED, current.endingAt(now)));
            }
        }
    }

    private Alert alert(Finding finding, Instant now) {
        SortedMap<String, String> labels = new TreeMap<>();
        labels.put("alertname", finding.name());
        labels.put("severity", finding.severity());
        labels.put("scope", finding.group().scope());
        labels.put("group", String.valueOf(finding.group().group()));
        if (finding.member() != null) {
            labels.put("member", finding.member());
        }
        SortedMap<String, String> annotations = new TreeMap<>();
        annotations.put("summary", finding.summary());
        if (finding.description() != null) {
            annotations.put("description", finding.description());
        }
        return new Alert(labels, annotations, now, null, policy.baseUrl() + "/#/group/" + finding.group().scope() + "/"
                + finding.group().group());
    }

    private static Finding fire(String name, String severity, GroupId group, String member, String summary,
                                String description) {
        return new Finding(name, group, member, true, severity, summary, description);
    }

    private static Finding clear(String name, GroupId group, String member) {
        return new Finding(name, group, member, false, null, null, null);
    }

    /** The leader runs as primary and is not held failed. */
    private static boolean hasHealthyPrimary(GroupState group) {
        return group.leaderMember().filter(leader -> !leader.isFailed() && leader.observation().isRunningPrimary())
                .isPresent();
    }

    private static boolean isSwitchover(GroupState group) {
        return group.transition() != null && group.transition().kind() == Transition.Kind.SWITCHOVER;
    }

    /** Why the group lost its primary, or null when nothing says it did (it may be restarting on request). */
    private static String outage(GroupState group) {
        MemberState leader = group.leaderMember().orElse(null);
        if (leader != null && leader.isFailed()) {
            return "Leader " + leader.name() + " declared failed: " + leader.failedReason();
        }
        if (group.transition() instanceof Promotion promotion) {
            return "Failing over to " + promotion.to() + ": " + promotion.reason();
        }
        if (leader != null && BROKEN.contains(leader.observation().state())) {
            return "Leader " + leader.name() + " reports PostgreSQL " + leader.observation().state().patroniName();
        }
        if (group.lease().since() != null && group.lease().isFree()) {
            return "Nobody holds the leader lease and " + name(group.leader()) + " does not run as primary";
        }
        return null;
    }

    /** A heartbeat or state report of the member itself (a registration repeats its last known state). */
    private static boolean reportsItself(Event event, MemberState member) {
        return (event instanceof MemberObserved observed && observed.member().equals(member.name()))
                || (event instanceof MemberStateChanged changed && changed.member().equals(member.name()));
    }

    private static String name(String member) {
        return member == null ? "(none)" : member;
    }

    private static String mebibytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }
}
