package io.steward.events.codec;

import static io.steward.events.codec.AvroRecords.child;
import static io.steward.events.codec.AvroRecords.enumValue;
import static io.steward.events.codec.AvroRecords.intValue;
import static io.steward.events.codec.AvroRecords.longOrNull;
import static io.steward.events.codec.AvroRecords.longValue;
import static io.steward.events.codec.AvroRecords.record;
import static io.steward.events.codec.AvroRecords.requiredString;
import static io.steward.events.codec.AvroRecords.string;
import static io.steward.events.codec.AvroRecords.symbol;
import static io.steward.events.codec.CommonMapping.config;
import static io.steward.events.codec.CommonMapping.endpoints;
import static io.steward.events.codec.CommonMapping.group;
import static io.steward.events.codec.CommonMapping.json;
import static io.steward.events.codec.CommonMapping.lsn;
import static io.steward.events.codec.CommonMapping.observation;
import static io.steward.events.codec.CommonMapping.tags;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

import io.steward.core.event.AgentEvent;
import io.steward.core.event.AgentEvent.ClusterInitialized;
import io.steward.core.event.AgentEvent.CommandOutcome;
import io.steward.core.event.AgentEvent.MemberObserved;
import io.steward.core.event.AgentEvent.MemberRegistered;
import io.steward.core.event.AgentEvent.MemberStateChanged;
import io.steward.core.model.GroupId;
import io.steward.core.model.PgState;
import io.steward.core.model.Role;

/** Facts from agents, to and from Avro. */
final class AgentEventMapping {

    private AgentEventMapping() {
    }

    static GenericRecord toAvro(AgentEvent event) {
        GenericData.Record record = record(event.getClass().getSimpleName());
        Schema schema = record.getSchema();
        record.put("group", group(schema, "group", event.group()));
        record.put("member", event.member());
        switch (event) {
            case MemberRegistered e -> {
                record.put("incarnation", e.incarnation());
                record.put("endpoints", endpoints(schema, "endpoints", e.endpoints()));
                record.put("tags", tags(schema, "tags", e.tags()));
                record.put("version", e.version());
                record.put("systemIdentifier", e.systemIdentifier());
            }
            case MemberObserved e -> {
                record.put("incarnation", e.incarnation());
                record.put("sequence", e.sequence());
                record.put("observation", observation(schema, "observation", e.observation()));
                record.put("tags", tags(schema, "tags", e.tags()));
                record.put("endpoints", endpoints(schema, "endpoints", e.endpoints()));
            }
            case MemberStateChanged e -> {
                record.put("incarnation", e.incarnation());
                record.put("change", symbol(schema, "change", e.change()));
                record.put("role", symbol(schema, "role", e.role()));
                record.put("state", symbol(schema, "state", e.state()));
                record.put("timeline", e.timeline());
                record.put("lsn", lsn(e.lsn()));
                record.put("detail", e.detail());
            }
            case ClusterInitialized e -> {
                record.put("systemIdentifier", e.systemIdentifier());
                record.put("bootstrapConfig", json(e.bootstrapConfig()));
            }
            case CommandOutcome e -> {
                record.put("commandId", e.commandId());
                record.put("epoch", e.epoch());
                record.put("outcome", symbol(schema, "outcome", e.outcome()));
                record.put("detail", e.detail());
                record.put("lsn", lsn(e.lsn()));
            }
        }
        return record;
    }

    /** The records this mapping reads. */
    static final java.util.Set<String> NAMES = java.util.Set.of("MemberRegistered", "MemberObserved",
            "MemberStateChanged", "ClusterInitialized", "CommandOutcome");

    static AgentEvent fromAvro(String name, GenericRecord record) {
        GroupId group = group(child(record, "group"));
        String member = requiredString(record, "member");
        return switch (name) {
            case "MemberRegistered" -> new MemberRegistered(group, member, requiredString(record, "incarnation"),
                    endpoints(child(record, "endpoints")), tags(child(record, "tags")), string(record, "version"),
                    longOrNull(record, "systemIdentifier"));
            case "MemberObserved" -> new MemberObserved(group, member, requiredString(record, "incarnation"),
                    longValue(record, "sequence"), observation(child(record, "observation")), tags(child(record, "tags")),
                    endpoints(child(record, "endpoints")));
            case "MemberStateChanged" -> new MemberStateChanged(group, member, requiredString(record, "incarnation"),
                    enumValue(record, "change", AgentEvent.StateChange.class), enumValue(record, "role", Role.class),
                    enumValue(record, "state", PgState.class), intValue(record, "timeline"),
                    lsn(longOrNull(record, "lsn")), string(record, "detail"));
            case "ClusterInitialized" -> new ClusterInitialized(group, member, longValue(record, "systemIdentifier"),
                    config(requiredString(record, "bootstrapConfig")));
            case "CommandOutcome" -> new CommandOutcome(group, member, requiredString(record, "commandId"),
                    longValue(record, "epoch"), enumValue(record, "outcome", AgentEvent.Outcome.class),
                    string(record, "detail"), lsn(longOrNull(record, "lsn")));
            default -> null;
        };
    }
}
