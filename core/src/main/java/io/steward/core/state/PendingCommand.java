package io.steward.core.state;

import java.time.Instant;

import io.steward.core.command.Command;

/**
 * A command issued and not yet answered.
 *
 * @param incarnation the agent incarnation of its member when it was issued, or null when the member
 *                    was unknown: an agent reads the commands issued after it started, so a command to
 *                    an earlier incarnation will never be answered
 */
public record PendingCommand(Command command, Instant issuedAt, String incarnation) {

    public PendingCommand(Command command, Instant issuedAt) {
        this(command, issuedAt, null);
    }
}
