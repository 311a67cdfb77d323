/**
 * The audit UI: a web page and JSON API over the event log (fleet, topology, failover timeline,
 * replay of any instant).
 */
package io.steward.audit;
