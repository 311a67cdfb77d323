/**
 * The node agent: runs beside one PostgreSQL instance, controls it, reports it to Kafka, carries out
 * the decider's commands, fences itself through its etcd lease, and serves the Patroni-compatible REST API.
 */
package io.steward.agent;
