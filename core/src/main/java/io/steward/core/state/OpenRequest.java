package io.steward.core.state;

import java.time.Instant;

import io.steward.core.event.OperatorRequest;

/** An operator request the decider has not answered yet. */
public record OpenRequest(OperatorRequest request, Instant receivedAt) {
}
