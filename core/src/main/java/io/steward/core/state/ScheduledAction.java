package io.steward.core.state;

import java.time.Instant;

import io.steward.core.event.OperatorRequest;
import io.steward.core.event.OperatorRequest.ActionKind;

/** An accepted request that runs at {@code at}. */
public record ScheduledAction(ActionKind kind, Instant at, OperatorRequest request) {
}
