/**
 * The decision service: the single writer, made so by an etcd lease, that folds the event log and
 * writes failover and switchover decisions and commands stamped with its epoch.
 */
package io.steward.decider;
