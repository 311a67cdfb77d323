package io.steward.events.codec;

import static io.steward.events.codec.AvroRecords.bool;
import static io.steward.events.codec.AvroRecords.bytes;
import static io.steward.events.codec.AvroRecords.child;
import static io.steward.events.codec.AvroRecords.enumValue;
import static io.steward.events.codec.AvroRecords.instant;
import static io.steward.events.codec.AvroRecords.intOrNull;
import static io.steward.events.codec.AvroRecords.intValue;
import static io.steward.events.codec.AvroRecords.longValue;
import static io.steward.events.codec.AvroRecords.record;
import static io.steward.events.codec.AvroRecords.requiredString;
import static io.steward.events.codec.AvroRecords.string;
import static io.steward.events.codec.AvroRecords.strings;
import static io.steward.events.codec.AvroRecords.symbol;
import static io.steward.events.codec.CommonMapping.config;
import static io.steward.events.codec.CommonMapping.evidence;
import static io.steward.events.codec.CommonMapping.group;
import static io.steward.events.codec.CommonMapping.json;

import java.nio.ByteBuffer;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

import io.steward.core.event.DeciderEvent;
import io.steward.core.event.DeciderEvent.BootstrapDecided;
import io.steward.core.event.DeciderEvent.CitusPauseRequested;
import io.steward.core.event.DeciderEvent.ClusterRemoved;
import io.steward.core.event.DeciderEvent.CommandExpired;
import io.steward.core.event.DeciderEvent.GroupStuck;
import io.steward.core.event.DeciderEvent.GroupUnstuck;
import io.steward.core.event.DeciderEvent.CommandIssued;
import io.steward.core.event.DeciderEvent.ConfigurationChanged;
import io.steward.core.event.DeciderEvent.DeciderActive;
import io.steward.core.event.DeciderEvent.DeciderElected;
import io.steward.core.event.DeciderEvent.FailoverBlocked;
import io.steward.core.event.DeciderEvent.FailoverCompleted;
import io.steward.core.event.DeciderEvent.FailoverDecided;
import io.steward.core.event.DeciderEvent.FailoverKind;
import io.steward.core.event.DeciderEvent.GroupDecision;
import io.steward.core.event.DeciderEvent.LeaderLeaseChanged;
import io.steward.core.event.DeciderEvent.MaintenanceModeChanged;
import io.steward.core.event.DeciderEvent.MemberDeclaredFailed;
import io.steward.core.event.DeciderEvent.PlannedStop;
import io.steward.core.event.DeciderEvent.RequestAnswered;
import io.steward.core.event.DeciderEvent.ScheduledActionCancelled;
import io.steward.core.event.DeciderEvent.ScheduledActionSet;
import io.steward.core.event.DeciderEvent.SwitchoverAborted;
import io.steward.core.event.DeciderEvent.SwitchoverCompleted;
import io.steward.core.event.DeciderEvent.SwitchoverStarted;
import io.steward.core.event.DeciderEvent.SynchronousStandbysChanged;
import io.steward.core.event.DeciderEvent.Tick;
import io.steward.core.event.OperatorRequest;
import io.steward.core.event.OperatorRequest.ActionKind;
import io.steward.core.model.GroupId;

/** The decider's records, to and from Avro. Embedded commands and requests are single-object encoded bytes. */
final class DecisionMapping {

    private DecisionMapping() {
    }

    static GenericRecord toAvro(DeciderEvent event) {
        GenericData.Record record = record(event.getClass().getSimpleName());
        Schema schema = record.getSchema();
        record.put("epoch", event.epoch());
        if (event instanceof GroupDecision decision && !(decision instanceof CommandIssued)) {
            record.put("group", group(schema, "group", decision.group()));
        }
        switch (event) {
            case DeciderElected e -> record.put("instance", e.instance());
            case Tick e -> {
            }
            case DeciderActive e -> {
                record.put("instance", e.instance());
                record.put("takeoverMillis", e.takeoverMillis());
                record.put("foldedRecords", e.foldedRecords());
                record.put("snapshotPartitions", e.snapshotPartitions());
            }
            case LeaderLeaseChanged e -> {
                record.put("holder", e.holder());
                record.put("revision", e.revision());
                record.put("cause", e.cause());
            }
            case BootstrapDecided e -> {
                record.put("member", e.member());
                record.put("adoptExistingData", e.adoptExistingData());
                record.put("reason", e.reason());
            }
            case MemberDeclaredFailed e -> {
                record.put("member", e.member());
                record.put("reason", e.reason());
            }
            case FailoverDecided e -> {
                record.put("oldLeader", e.oldLeader());
                record.put("newLeader", e.newLeader());
                record.put("kind", symbol(schema, "kind", e.kind()));
                record.put("requestId", e.requestId());
                record.put("reason", e.reason());
                record.put("evidence", evidence(schema, "evidence", e.evidence()));
            }
            case FailoverCompleted e -> {
                record.put("oldLeader", e.oldLeader());
                record.put("newLeader", e.newLeader());
                record.put("timeline", e.timeline());
                record.put("requestId", e.requestId());
                record.put("reason", e.reason());
            }
            case FailoverBlocked e -> {
                record.put("leader", e.leader());
                record.put("code", e.code());
                record.put("reason", e.reason());
                record.put("evidence", evidence(schema, "evidence", e.evidence()));
            }
            case SwitchoverStarted e -> {
                switchover(record, e.from(), e.to(), e.requestId(), e.reason());
                record.put("evidence", evidence(schema, "evidence", e.evidence()));
            }
            case SwitchoverCompleted e -> switchover(record, e.from(), e.to(), e.requestId(), e.reason());
            case SwitchoverAborted e -> switchover(record, e.from(), e.to(), e.requestId(), e.reason());
            case SynchronousStandbysChanged e -> {
                record.put("leader", e.leader());
                record.put("standbys", e.standbys());
                record.put("quorum", e.quorum());
                record.put("reason", e.reason());
            }
            case ConfigurationChanged e -> {
                record.put("version", e.version());
                record.put("patch", json(e.patch()));
                record.put("config", json(e.config()));
                record.put("actor", e.actor());
                record.put("requestId", e.requestId());
            }
            case MaintenanceModeChanged e -> {
                record.put("paused", e.paused());
                record.put("actor", e.actor());
                record.put("requestId", e.requestId());
            }
            case ScheduledActionSet e -> {
                record.put("action", symbol(schema, "action", e.action()));
                record.put("at", e.at());
                record.put("request", ByteBuffer.wrap(EventCodec.encode(e.request())));
            }
            case ScheduledActionCancelled e -> {
                record.put("action", symbol(schema, "action", e.action()));
                record.put("requestId", e.requestId());
                record.put("reason", e.reason());
            }
            case CommandIssued e -> {
                record.put("command", ByteBuffer.wrap(EventCodec.encode(e.command())));
                record.put("reason", e.reason());
            }
            case CommandExpired e -> {
                record.put("commandId", e.commandId());
                record.put("reason", e.reason());
            }
            case RequestAnswered e -> {
                record.put("requestId", e.requestId());
                record.put("status", e.status());
                record.put("message", e.message());
            }
            case ClusterRemoved e -> {
                record.put("actor", e.actor());
                record.put("requestId", e.requestId());
            }
            case GroupStuck e -> record.put("reason", e.reason());
            case GroupUnstuck e -> record.put("reason", e.reason());
            case CitusPauseRequested e -> {
                record.put("action", symbol(schema, "action", e.action()));
                record.put("member", e.member());
                record.put("requestId", e.requestId());
                record.put("restartTimeout", e.restartTimeout());
                record.put("reason", e.reason());
            }
        }
        return record;
    }

    private static void switchover(GenericData.Record record, String from, String to, String requestId, String reason) {
        record.put("from", from);
        record.put("to", to);
        record.put("requestId", requestId);
        record.put("reason", reason);
    }

    static DeciderEvent fromAvro(String name, GenericRecord record) {
        long epoch = longValue(record, "epoch");
        switch (name) {
            case "DeciderElected":
                return new DeciderElected(epoch, requiredString(record, "instance"));
            case "Tick":
                return new Tick(epoch);
            case "DeciderActive":
                return new DeciderActive(epoch, requiredString(record, "instance"), longValue(record, "takeoverMillis"),
                        longValue(record, "foldedRecords"), intValue(record, "snapshotPartitions"));
            case "CommandIssued":
                return new CommandIssued(epoch, EventCodec.decodeCommandOrThrow(bytes(record, "command")),
                        requiredString(record, "reason"));
            default:
                break;
        }
        GroupId group = group(child(record, "group"));
        return switch (name) {
            case "LeaderLeaseChanged" -> new LeaderLeaseChanged(epoch, group, string(record, "holder"),
                    longValue(record, "revision"), requiredString(record, "cause"));
            case "BootstrapDecided" -> new BootstrapDecided(epoch, group, requiredString(record, "member"),
                    bool(record, "adoptExistingData"), requiredString(record, "reason"));
            case "MemberDeclaredFailed" -> new MemberDeclaredFailed(epoch, group, requiredString(record, "member"),
                    requiredString(record, "reason"));
            case "FailoverDecided" -> new FailoverDecided(epoch, group, string(record, "oldLeader"),
                    requiredString(record, "newLeader"), enumValue(record, "kind", FailoverKind.class),
                    string(record, "requestId"), requiredString(record, "reason"), evidence(record, "evidence"));
            case "FailoverCompleted" -> new FailoverCompleted(epoch, group, string(record, "oldLeader"),
                    requiredString(record, "newLeader"), intValue(record, "timeline"), string(record, "requestId"),
                    requiredString(record, "reason"));
            case "FailoverBlocked" -> new FailoverBlocked(epoch, group, string(record, "leader"),
                    requiredString(record, "code"), requiredString(record, "reason"), evidence(record, "evidence"));
            case "SwitchoverStarted" -> new SwitchoverStarted(epoch, group, requiredString(record, "from"),
                    string(record, "to"), string(record, "requestId"), requiredString(record, "reason"),
                    evidence(record, "evidence"));
            case "SwitchoverCompleted" -> new SwitchoverCompleted(epoch, group, requiredString(record, "from"),
                    string(record, "to"), string(record, "requestId"), requiredString(record, "reason"));
            case "SwitchoverAborted" -> new SwitchoverAborted(epoch, group, requiredString(record, "from"),
                    string(record, "to"), string(record, "requestId"), requiredString(record, "reason"));
            case "SynchronousStandbysChanged" -> new SynchronousStandbysChanged(epoch, group,
                    requiredString(record, "leader"), strings(record, "standbys"), intValue(record, "quorum"),
                    requiredString(record, "reason"));
            case "ConfigurationChanged" -> new ConfigurationChanged(epoch, group, longValue(record, "version"),
                    config(requiredString(record, "patch")), config(requiredString(record, "config")),
                    requiredString(record, "actor"), string(record, "requestId"));
            case "MaintenanceModeChanged" -> new MaintenanceModeChanged(epoch, group, bool(record, "paused"),
                    requiredString(record, "actor"), string(record, "requestId"));
            case "ScheduledActionSet" -> new ScheduledActionSet(epoch, group, enumValue(record, "action", ActionKind.class),
                    instant(record, "at"), (OperatorRequest) EventCodec.decodeEventOrThrow(bytes(record, "request")));
            case "ScheduledActionCancelled" -> new ScheduledActionCancelled(epoch, group,
                    enumValue(record, "action", ActionKind.class), string(record, "requestId"),
                    requiredString(record, "reason"));
            case "CommandExpired" -> new CommandExpired(epoch, group, requiredString(record, "commandId"),
                    requiredString(record, "reason"));
            case "RequestAnswered" -> new RequestAnswered(epoch, group, requiredString(record, "requestId"),
                    intValue(record, "status"), requiredString(record, "message"));
            case "GroupStuck" -> new GroupStuck(epoch, group, requiredString(record, "reason"));
            case "GroupUnstuck" -> new GroupUnstuck(epoch, group, requiredString(record, "reason"));
            case "ClusterRemoved" -> new ClusterRemoved(epoch, group, requiredString(record, "actor"),
                    string(record, "requestId"));
            case "CitusPauseRequested" -> new CitusPauseRequested(epoch, group,
                    enumValue(record, "action", PlannedStop.class), requiredString(record, "member"),
                    requiredString(record, "requestId"), intOrNull(record, "restartTimeout"),
                    requiredString(record, "reason"));
            default -> null;
        };
    }
}
