/**
 * citus-sync: applies each group's leader to pg_dist_node on the Citus coordinator, exactly once per
 * decision.
 */
package io.steward.citus;
