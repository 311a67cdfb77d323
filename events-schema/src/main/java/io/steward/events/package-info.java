/**
 * The contract between Steward's processes: the Avro schemas of every event, request and command,
 * their single-object encoding and the Kafka serializer and deserializer.
 */
package io.steward.events;
