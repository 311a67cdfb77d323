package io.steward.events.codec;

import static io.steward.events.codec.AvroRecords.bool;
import static io.steward.events.codec.AvroRecords.enumValue;
import static io.steward.events.codec.AvroRecords.instant;
import static io.steward.events.codec.AvroRecords.intOrNull;
import static io.steward.events.codec.AvroRecords.longOrNull;
import static io.steward.events.codec.AvroRecords.record;
import static io.steward.events.codec.AvroRecords.requiredString;
import static io.steward.events.codec.AvroRecords.string;
import static io.steward.events.codec.AvroRecords.strings;
import static io.steward.events.codec.AvroRecords.symbol;
import static io.steward.events.codec.CommonMapping.config;
import static io.steward.events.codec.CommonMapping.json;
import static io.steward.events.codec.CommonMapping.requestHeader;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

import io.steward.core.event.OperatorRequest;
import io.steward.core.event.OperatorRequest.ActionKind;
import io.steward.core.event.OperatorRequest.CancelScheduledRequested;
import io.steward.core.event.OperatorRequest.ConfigurationPatchRequested;
import io.steward.core.event.OperatorRequest.FailoverRequested;
import io.steward.core.event.OperatorRequest.PauseRequested;
import io.steward.core.event.OperatorRequest.ReinitializeRequested;
import io.steward.core.event.OperatorRequest.ReloadRequested;
import io.steward.core.event.OperatorRequest.RemoveClusterRequested;
import io.steward.core.event.OperatorRequest.RequestHeader;
import io.steward.core.event.OperatorRequest.RestartRequested;
import io.steward.core.event.OperatorRequest.ResumeRequested;
import io.steward.core.event.OperatorRequest.RoleFilter;
import io.steward.core.event.OperatorRequest.SwitchoverRequested;

/** Operator requests, to and from Avro. */
final class RequestMapping {

    private RequestMapping() {
    }

    static GenericRecord toAvro(OperatorRequest request) {
        GenericData.Record record = record(request.getClass().getSimpleName());
        Schema schema = record.getSchema();
        record.put("header", requestHeader(schema, request.header()));
        switch (request) {
            case SwitchoverRequested r -> {
                record.put("leader", r.leader());
                record.put("candidate", r.candidate());
                record.put("scheduledAt", r.scheduledAt());
            }
            case FailoverRequested r -> record.put("candidate", r.candidate());
            case RestartRequested r -> {
                record.put("members", r.members());
                record.put("role", symbol(schema, "role", r.role()));
                record.put("pendingOnly", r.pendingOnly());
                record.put("scheduledAt", r.scheduledAt());
                record.put("postgresVersion", r.postgresVersion());
                record.put("timeoutSeconds", r.timeoutSeconds());
            }
            case ReloadRequested r -> {
                record.put("members", r.members());
                record.put("role", symbol(schema, "role", r.role()));
            }
            case ReinitializeRequested r -> {
                record.put("member", r.member());
                record.put("force", r.force());
                record.put("fromLeader", r.fromLeader());
            }
            case ConfigurationPatchRequested r -> {
                record.put("patch", json(r.patch()));
                record.put("expectedVersion", r.expectedVersion());
            }
            case CancelScheduledRequested r -> record.put("action", symbol(schema, "action", r.action()));
            case PauseRequested r -> {
            }
            case ResumeRequested r -> {
            }
            case RemoveClusterRequested r -> {
            }
        }
        return record;
    }

    /** The records this mapping reads. */
    static final java.util.Set<String> NAMES = java.util.Set.of("SwitchoverRequested", "FailoverRequested",
            "RestartRequested", "ReloadRequested", "ReinitializeRequested", "PauseRequested", "ResumeRequested",
            "ConfigurationPatchRequested", "RemoveClusterRequested", "CancelScheduledRequested");

    static OperatorRequest fromAvro(String name, GenericRecord record) {
        RequestHeader header = requestHeader(record);
        return switch (name) {
            case "SwitchoverRequested" -> new SwitchoverRequested(header, string(record, "leader"),
                    string(record, "candidate"), instant(record, "scheduledAt"));
            case "FailoverRequested" -> new FailoverRequested(header, string(record, "candidate"));
            case "RestartRequested" -> new RestartRequested(header, strings(record, "members"),
                    enumValue(record, "role", RoleFilter.class), bool(record, "pendingOnly"),
                    instant(record, "scheduledAt"), string(record, "postgresVersion"), intOrNull(record, "timeoutSeconds"));
            case "ReloadRequested" -> new ReloadRequested(header, strings(record, "members"),
                    enumValue(record, "role", RoleFilter.class));
            case "ReinitializeRequested" -> new ReinitializeRequested(header, requiredString(record, "member"),
                    bool(record, "force"), bool(record, "fromLeader"));
            case "PauseRequested" -> new PauseRequested(header);
            case "ResumeRequested" -> new ResumeRequested(header);
            case "ConfigurationPatchRequested" -> new ConfigurationPatchRequested(header,
                    config(requiredString(record, "patch")), longOrNull(record, "expectedVersion"));
            case "RemoveClusterRequested" -> new RemoveClusterRequested(header);
            case "CancelScheduledRequested" -> new CancelScheduledRequested(header,
                    enumValue(record, "action", ActionKind.class));
            default -> null;
        };
    }
}
