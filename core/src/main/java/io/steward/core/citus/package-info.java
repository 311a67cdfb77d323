/**
 * Citus's view of the topology: the rows of {@code pg_dist_node}, the topology the log wants (each
 * group's leader as {@code primary}, its other streaming members as {@code secondary}), and the
 * planner that turns the difference into Citus calls. Pure: citus-sync runs the calls.
 */
package io.steward.core.citus;
