package io.steward.core.decide;

import java.util.List;
import java.util.Objects;

import io.steward.core.command.Command;
import io.steward.core.event.DeciderEvent.CommandIssued;
import io.steward.core.event.DeciderEvent.GroupDecision;

/**
 * What the decider does about one group at one instant: records to append to the log (decisions,
 * and one {@link CommandIssued} per command) and a sentence a person on call understands.
 *
 * <p>An empty decision still has a reason: the group's status ("no action: n1 is the leader with
 * the lease, 2 replicas streaming"), or what it is waiting for.
 *
 * @param events   the records, in the order they must be written
 * @param reason   why
 * @param rejected ids of operator requests the rules failed on: each is answered (500) among the
 *                 events and dropped, and the decider copies its record to the dead-letter topic
 */
public record Decision(List<GroupDecision> events, String reason, List<String> rejected) {

    public Decision {
        events = List.copyOf(events);
        Objects.requireNonNull(reason, "reason");
        rejected = List.copyOf(rejected);
    }

    public Decision(List<GroupDecision> events, String reason) {
        this(events, reason, List.of());
    }

    /** Nothing to do, and why. */
    public static Decision none(String reason) {
        return new Decision(List.of(), reason);
    }

    public boolean isEmpty() {
        return events.isEmpty();
    }

    /** The commands among the events, in order. */
    public List<Command> commands() {
        return events.stream().filter(CommandIssued.class::isInstance).map(e -> ((CommandIssued) e).command()).toList();
    }
}
