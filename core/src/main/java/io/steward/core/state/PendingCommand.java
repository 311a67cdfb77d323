package io.steward.core.state;

import java.time.Instant;

import io.steward.core.command.Command;

/** A command issued and not yet answered. */
public record PendingCommand(Command command, Instant issuedAt) {
}
