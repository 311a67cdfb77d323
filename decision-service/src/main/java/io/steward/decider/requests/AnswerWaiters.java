package io.steward.decider.requests;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import io.steward.core.event.DeciderEvent.RequestAnswered;

/**
 * REST callers waiting for the decider's answer to their request. The loop completes a waiter when
 * it folds the {@code RequestAnswered} record, so an instance that is not the leader answers its
 * callers as soon as it reads the leader's answer. Thread-safe.
 */
public final class AnswerWaiters {

    private final Map<String, CompletableFuture<RequestAnswered>> waiting = new ConcurrentHashMap<>();

    /** Registers interest in {@code requestId}'s answer; call before writing the request. */
    public CompletableFuture<RequestAnswered> expect(String requestId) {
        return waiting.computeIfAbsent(requestId, id -> new CompletableFuture<>());
    }

    /** Stops waiting (the caller gave up). */
    public void forget(String requestId) {
        waiting.remove(requestId);
    }

    /** An answer was read from the log. */
    public void answered(RequestAnswered answer) {
        CompletableFuture<RequestAnswered> waiter = waiting.remove(answer.requestId());
        if (waiter != null) {
            waiter.complete(answer);
        }
    }
}
