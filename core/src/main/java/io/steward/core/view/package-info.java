/**
 * Read-only views of the folded state for people and Patroni-compatible tools: the cluster and its
 * history as Patroni's {@code GET /cluster} and {@code GET /history} show them. Shared by the
 * decider's API and the audit UI, which shows them for any instant of the log.
 */
package io.steward.core.view;
