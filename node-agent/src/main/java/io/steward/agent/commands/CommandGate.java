package io.steward.agent.commands;

import io.steward.core.command.Command;
import io.steward.core.model.GroupId;

/**
 * Decides whether this member takes a command on: it must be addressed to this member of this
 * group, not carry an epoch older than the highest seen (a deposed decider), and not be an id
 * already taken on (at most once, across restarts). What passes is recorded before it runs.
 */
public final class CommandGate {

    private final GroupId group;
    private final String member;
    private final ExecutedCommands executed;

    public CommandGate(GroupId group, String member, ExecutedCommands executed) {
        this.group = group;
        this.member = member;
        this.executed = executed;
    }

    /** Why {@code command} is refused, or null when it is taken on (and now recorded). */
    public synchronized String admit(Command command) {
        if (!command.header().group().equals(group) || !command.member().equals(member)) {
            return "addressed to " + command.member() + " of " + command.header().group() + ", this is " + member + " of "
                    + group;
        }
        if (executed.contains(command.id())) {
            return "command " + command.id() + " was already carried out; not again";
        }
        if (command.header().epoch() < executed.maxEpoch()) {
            return "stale epoch " + command.header().epoch() + ": a decider with epoch " + executed.maxEpoch()
                    + " has been elected since";
        }
        executed.record(command.header().epoch(), command.id());
        return null;
    }

    /** Learns a decider's epoch from a command addressed to another member of the group. */
    public void observeEpoch(long epoch) {
        executed.raiseEpoch(epoch);
    }

    /** The highest decider epoch this member has taken a command from. */
    public long maxEpoch() {
        return executed.maxEpoch();
    }
}
