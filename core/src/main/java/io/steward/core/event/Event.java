package io.steward.core.event;

/**
 * A record in the event log: a fact an agent reported, a request an operator made, a decision the
 * decider took, or what citus-sync did on a Citus coordinator. Events are past-tense and
 * immutable; the cluster state is their fold.
 */
public sealed interface Event permits AgentEvent, DeciderEvent, OperatorRequest, CitusEvent {
}
