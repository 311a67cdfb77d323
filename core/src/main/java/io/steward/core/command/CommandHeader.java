package io.steward.core.command;

import java.util.Objects;

import io.steward.core.model.GroupId;

/**
 * What every command carries.
 *
 * @param id     unique and deterministic: derived from the epoch and the log position the decision
 *               was based on, so replaying the log yields the same ids; agents execute an id at most once
 * @param epoch  the decider's epoch; agents refuse commands older than the highest epoch they have seen
 * @param group  the member's group
 * @param member the member that must carry it out
 */
public record CommandHeader(String id, long epoch, GroupId group, String member) {

    public CommandHeader {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(member, "member");
    }
}
