/**
 * The pure domain of Steward: the cluster state, the fold from events to state, the failover and
 * switchover decisions and the Citus topology planner. JDK only: no I/O, no clock, no threads, no logging;
 * time and policy come in as arguments.
 */
package io.steward.core;
