/**
 * Alerting over the event log: {@link io.steward.audit.alert.AlertRules} turns each record (with the
 * folded state before and after it) into alerts that start or end, in log time and deterministically;
 * {@link io.steward.audit.alert.AlertmanagerWebhook} delivers those changes to Alertmanager;
 * {@link io.steward.audit.alert.AlertMetrics} renders failover counts, durations and firing alerts
 * as Prometheus text.
 */
package io.steward.audit.alert;
