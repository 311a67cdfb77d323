package io.steward.audit.view;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.steward.audit.log.LogStore;
import io.steward.core.command.Command;
import io.steward.core.event.AgentEvent.CommandOutcome;
import io.steward.core.event.AgentEvent.MemberObserved;
import io.steward.core.event.AgentEvent.MemberStateChanged;
import io.steward.core.event.AgentEvent.StateChange;
import io.steward.core.event.CitusEvent.CitusGroupPaused;
import io.steward.core.event.CitusEvent.CitusTopologyApplied;
import io.steward.core.event.DeciderEvent.CitusPauseRequested;
import io.steward.core.event.DeciderEvent.CommandIssued;
import io.steward.core.event.DeciderEvent.FailoverBlocked;
import io.steward.core.event.DeciderEvent.FailoverCompleted;
import io.steward.core.event.DeciderEvent.FailoverDecided;
import io.steward.core.event.DeciderEvent.LeaderLeaseChanged;
import io.steward.core.event.DeciderEvent.MemberDeclaredFailed;
import io.steward.core.event.DeciderEvent.SwitchoverAborted;
import io.steward.core.event.DeciderEvent.SwitchoverCompleted;
import io.steward.core.event.DeciderEvent.SwitchoverStarted;
import io.steward.core.event.Event;
import io.steward.core.event.Evidence;
import io.steward.core.event.LogRecord;
import io.steward.core.event.OperatorRequest;
import io.steward.core.model.GroupId;

/**
 * The story of each change of leader, told from the log: the first sign (the old leader's last
 * heartbeat and the decider holding it failed, its lease running out, or the operator's request),
 * the decision with its reason and the evidence it compared, the commands and their answers, the
 * promotion, the new primary's first heartbeat and, for a Citus worker, the coordinator's update,
 * each with its time and the time since the step before.
 */
public final class FailoverStories {

    /** How far before a decision its first signs are looked for. */
    private static final Duration LOOK_BACK = Duration.ofMinutes(2);
    /** How far after a decision its steps are looked for. */
    private static final Duration LOOK_AHEAD = Duration.ofMinutes(2);

    private FailoverStories() {
    }

    /** Every change of leader, newest first, with its outcome and duration. */
    public static List<Map<String, Object>> list(LogStore store) {
        int[] changes = store.leaderChanges();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = changes.length - 1; i >= 0; i--) {
            Map<String, Object> story = story(store, changes[i]);
            story.remove("steps");
            story.remove("evidence");
            rows.add(story);
        }
        return rows;
    }

    /** The story of the change of leader decided by the record stored at {@code index}. */
    public static Map<String, Object> story(LogStore store, int index) {
        LogRecord decision = store.record(index);
        String kind;
        String from;
        String to;
        String requestId;
        String reason;
        List<Evidence> evidence;
        switch (decision.event()) {
            case FailoverDecided e -> {
                kind = e.kind() == io.steward.core.event.DeciderEvent.FailoverKind.MANUAL ? "manual failover" : "failover";
                from = e.oldLeader();
                to = e.newLeader();
                requestId = e.requestId();
                reason = e.reason();
                evidence = e.evidence();
            }
            case SwitchoverStarted e -> {
                kind = "switchover";
                from = e.from();
                to = e.to();
                requestId = e.requestId();
                reason = e.reason();
                evidence = e.evidence();
            }
            default -> throw new IllegalArgumentException("record " + index + " does not begin a change of leader");
        }
        GroupId group = store.group(index);
        int[] indices = store.indicesOf(group);
        int position = Arrays.binarySearch(indices, index);
        List<Step> steps = new ArrayList<>();
        steps.add(new Step(index, decision.timestamp(), "decision", kind + " decided: " + reason));
        signs(store, indices, position, decision.timestamp(), from, requestId, steps);
        Outcome outcome = consequences(store, indices, position, decision.timestamp(), from, steps);
        if (outcome.promotedTo != null) {
            to = outcome.promotedTo;
        }
        if (group.group() != 0 && outcome.promotedAt != null) {
            citusUpdate(store, new GroupId(group.scope(), 0), outcome.promotedAt, steps);
        }
        steps.sort(Comparator.comparing(Step::at).thenComparingInt(Step::index));

        Map<String, Object> story = new LinkedHashMap<>();
        story.put("index", index);
        story.put("at", decision.timestamp().toString());
        story.put("scope", group.scope());
        story.put("group", group.group());
        story.put("kind", kind);
        story.put("from", from);
        story.put("to", to);
        story.put("request", requestId);
        story.put("reason", reason);
        story.put("outcome", outcome.word);
        Instant first = steps.get(0).at();
        Instant last = steps.get(steps.size() - 1).at();
        story.put("first_sign", steps.get(0).title());
        story.put("detection_ms", Duration.between(first, decision.timestamp()).toMillis());
        story.put("total_ms", Duration.between(first, last).toMillis());
        story.put("decision_to_primary_ms", outcome.promotedAt == null ? null
                : Duration.between(decision.timestamp(), outcome.promotedAt).toMillis());
        List<Map<String, Object>> rows = new ArrayList<>();
        Instant previous = first;
        for (Step step : steps) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("index", step.index());
            row.put("at", step.at().toString());
            row.put("step", step.title());
            row.put("detail", step.detail());
            row.put("since_previous_ms", Duration.between(previous, step.at()).toMillis());
            row.put("since_first_ms", Duration.between(first, step.at()).toMillis());
            rows.add(row);
            previous = step.at();
        }
        story.put("steps", rows);
        story.put("evidence", evidence.stream().map(FailoverStories::evidence).toList());
        return story;
    }

    /** The first signs before the decision, latest of each kind. */
    private static void signs(LogStore store, int[] indices, int position, Instant decidedAt, String oldLeader,
                              String requestId, List<Step> steps) {
        Set<String> found = new HashSet<>();
        Instant heardUntil = null;
        for (int p = position - 1; p >= 0; p--) {
            int i = indices[p];
            LogRecord record = store.record(i);
            if (record.timestamp().isBefore(decidedAt.minus(LOOK_BACK))) {
                break;
            }
            Event event = record.event();
            if (event instanceof FailoverCompleted || event instanceof SwitchoverCompleted) {
                break; // the change before this one
            }
            if (requestId != null && event instanceof OperatorRequest request && requestId.equals(request.requestId())
                    && found.add("request")) {
                steps.add(new Step(i, record.timestamp(), "operator request", request.kind() + " requested by "
                        + request.header().actor()));
                break;
            }
            if (oldLeader == null) {
                continue;
            }
            switch (event) {
                case MemberDeclaredFailed e when e.member().equals(oldLeader) && found.add("failed") ->
                        steps.add(new Step(i, record.timestamp(), "leader held failed", e.reason()));
                case LeaderLeaseChanged e when e.holder() == null && found.add("lease") ->
                        steps.add(new Step(i, record.timestamp(), "leader lease free", e.cause()));
                case MemberStateChanged e when e.member().equals(oldLeader) && found.add("state") ->
                        steps.add(new Step(i, record.timestamp(), "leader reported " + e.change().name().toLowerCase(),
                                e.detail() == null ? e.state().patroniName() : e.detail()));
                case MemberObserved e when e.member().equals(oldLeader) -> {
                    if (heardUntil == null) {
                        heardUntil = record.timestamp();
                        if (found.contains("failed") || found.contains("lease")) {
                            steps.add(new Step(i, record.timestamp(), "last heartbeat from " + oldLeader,
                                    e.observation().role().name().toLowerCase() + " "
                                            + e.observation().state().patroniName()));
                        }
                    }
                }
                default -> {
                }
            }
            if (heardUntil != null && (found.contains("failed") || found.contains("lease"))) {
                break;
            }
        }
    }

    /** How it ended, and where. */
    private record Outcome(String word, String promotedTo, Instant promotedAt) {
    }

    /** The commands, answers, promotion, completion and the new primary's first heartbeat. */
    private static Outcome consequences(LogStore store, int[] indices, int position, Instant decidedAt, String from,
                                        List<Step> steps) {
        Set<String> commands = new HashSet<>();
        String word = "in progress";
        String promotedTo = null;
        Instant promotedAt = null;
        boolean ended = false;
        for (int p = position + 1; p < indices.length; p++) {
            int i = indices[p];
            LogRecord record = store.record(i);
            if (record.timestamp().isAfter(decidedAt.plus(LOOK_AHEAD))) {
                break;
            }
            Instant at = record.timestamp();
            switch (record.event()) {
                case FailoverDecided e -> p = indices.length; // the next change of leader
                case SwitchoverStarted e -> p = indices.length;
                case CitusPauseRequested e -> steps.add(new Step(i, at, "Citus pause asked", e.reason()));
                case CitusGroupPaused e -> steps.add(new Step(i, at, "Citus group paused", "on " + e.member() + " ("
                        + e.pausedPrimary() + "), taking it waited " + e.waitedMillis() + " ms"));
                case CommandIssued e when e.command() instanceof Command.Demote
                        || e.command() instanceof Command.Promote -> {
                    commands.add(e.command().id());
                    steps.add(new Step(i, at, e.command().kind() + " " + e.command().member() + " sent", e.reason()));
                }
                case CommandOutcome e when commands.contains(e.commandId()) -> steps.add(new Step(i, at,
                        e.member() + " answered: " + e.outcome().name().toLowerCase(), e.detail()));
                case MemberStateChanged e when e.change() == StateChange.PROMOTED -> {
                    if (promotedAt == null) {
                        promotedTo = e.member();
                        promotedAt = at;
                        steps.add(new Step(i, at, e.member() + " promoted", "timeline " + e.timeline()
                                + (e.lsn() == null ? "" : " from " + e.lsn())));
                    }
                }
                case MemberStateChanged e when e.change() == StateChange.DEMOTED && e.member().equals(from) ->
                        steps.add(new Step(i, at, from + " demoted", e.detail()));
                case FailoverCompleted e -> {
                    word = "completed";
                    ended = true;
                    steps.add(new Step(i, at, "completed", e.reason()));
                }
                case SwitchoverCompleted e -> {
                    word = "completed";
                    ended = true;
                    steps.add(new Step(i, at, "completed", e.reason()));
                }
                case SwitchoverAborted e -> {
                    word = "aborted";
                    steps.add(new Step(i, at, "aborted", e.reason()));
                    p = indices.length;
                }
                case FailoverBlocked e -> {
                    word = "blocked";
                    steps.add(new Step(i, at, "blocked", e.reason()));
                }
                case MemberObserved e when e.observation().isRunningPrimary() -> {
                    if (ended && e.member().equals(promotedTo)) {
                        steps.add(new Step(i, at, "first heartbeat from " + e.member() + " as primary",
                                "timeline " + e.observation().timeline()));
                        p = indices.length;
                    }
                }
                default -> {
                }
            }
        }
        return new Outcome(word, promotedTo, promotedAt);
    }

    /** The coordinator's first pg_dist_node update after the promotion. */
    private static void citusUpdate(LogStore store, GroupId coordinator, Instant promotedAt, List<Step> steps) {
        int[] indices = store.indicesOf(coordinator);
        for (int p = store.firstAtOrAfter(indices, promotedAt.toEpochMilli()); p < indices.length; p++) {
            LogRecord record = store.record(indices[p]);
            if (record.timestamp().isAfter(promotedAt.plus(LOOK_AHEAD))) {
                return;
            }
            if (record.event() instanceof CitusTopologyApplied applied && !applied.calls().isEmpty()) {
                steps.add(new Step(indices[p], record.timestamp(), "pg_dist_node updated on " + applied.member(),
                        String.join("; ", applied.calls())));
                return;
            }
        }
    }

    private static Map<String, Object> evidence(Evidence e) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("member", e.member());
        row.put("role", e.role() == null ? null : e.role().name().toLowerCase());
        row.put("state", e.state() == null ? null : e.state().patroniName());
        row.put("timeline", e.timeline());
        row.put("wal_position", e.walPosition() == null ? null : e.walPosition().toString());
        row.put("lag_bytes", e.lagBytes());
        row.put("silence_ms", e.silenceMillis());
        row.put("priority", e.priority());
        row.put("eligible", e.eligible());
        row.put("note", e.note());
        return row;
    }

    private record Step(int index, Instant at, String title, String detail) {
    }
}
