package io.steward.events.codec;

import static io.steward.events.codec.AvroRecords.child;
import static io.steward.events.codec.AvroRecords.longValue;
import static io.steward.events.codec.AvroRecords.record;
import static io.steward.events.codec.AvroRecords.requiredString;
import static io.steward.events.codec.AvroRecords.string;
import static io.steward.events.codec.AvroRecords.strings;
import static io.steward.events.codec.CommonMapping.group;

import java.util.Set;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

import io.steward.core.event.CitusEvent;
import io.steward.core.event.CitusEvent.CitusGroupPaused;
import io.steward.core.event.CitusEvent.CitusTopologyApplied;
import io.steward.core.event.CitusEvent.CitusTopologyFailed;

/** citus-sync's facts, to and from Avro. */
final class CitusMapping {

    static final Set<String> NAMES = Set.of("CitusTopologyApplied", "CitusTopologyFailed", "CitusGroupPaused");

    private CitusMapping() {
    }

    static GenericRecord toAvro(CitusEvent event) {
        GenericData.Record record = record(event.getClass().getSimpleName());
        Schema schema = record.getSchema();
        record.put("coordinator", group(schema, "coordinator", event.coordinator()));
        switch (event) {
            case CitusTopologyApplied e -> {
                record.put("member", e.member());
                record.put("calls", e.calls());
                record.put("positions", e.positions());
                record.put("basedOn", e.basedOn());
                record.put("millis", e.millis());
                record.put("instance", e.instance());
            }
            case CitusTopologyFailed e -> {
                record.put("member", e.member());
                record.put("calls", e.calls());
                record.put("reason", e.reason());
                record.put("instance", e.instance());
            }
            case CitusGroupPaused e -> {
                record.put("group", group(schema, "group", e.group()));
                record.put("requestId", e.requestId());
                record.put("member", e.member());
                record.put("pausedPrimary", e.pausedPrimary());
                record.put("waitedMillis", e.waitedMillis());
                record.put("instance", e.instance());
            }
        }
        return record;
    }

    static CitusEvent fromAvro(String name, GenericRecord record) {
        var coordinator = group(child(record, "coordinator"));
        return switch (name) {
            case "CitusTopologyApplied" -> new CitusTopologyApplied(coordinator, requiredString(record, "member"),
                    strings(record, "calls"), strings(record, "positions"), longValue(record, "basedOn"),
                    longValue(record, "millis"), requiredString(record, "instance"));
            case "CitusTopologyFailed" -> new CitusTopologyFailed(coordinator, string(record, "member"),
                    strings(record, "calls"), requiredString(record, "reason"), requiredString(record, "instance"));
            case "CitusGroupPaused" -> new CitusGroupPaused(coordinator, group(child(record, "group")),
                    requiredString(record, "requestId"), requiredString(record, "member"),
                    requiredString(record, "pausedPrimary"), longValue(record, "waitedMillis"),
                    requiredString(record, "instance"));
            default -> null;
        };
    }
}
