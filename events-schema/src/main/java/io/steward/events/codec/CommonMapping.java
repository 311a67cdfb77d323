package io.steward.events.codec;

import static io.steward.events.codec.AvroRecords.bool;
import static io.steward.events.codec.AvroRecords.child;
import static io.steward.events.codec.AvroRecords.enumValue;
import static io.steward.events.codec.AvroRecords.instant;
import static io.steward.events.codec.AvroRecords.intOrNull;
import static io.steward.events.codec.AvroRecords.intValue;
import static io.steward.events.codec.AvroRecords.list;
import static io.steward.events.codec.AvroRecords.longOrNull;
import static io.steward.events.codec.AvroRecords.longValue;
import static io.steward.events.codec.AvroRecords.nested;
import static io.steward.events.codec.AvroRecords.requiredString;
import static io.steward.events.codec.AvroRecords.string;
import static io.steward.events.codec.AvroRecords.stringMap;
import static io.steward.events.codec.AvroRecords.symbol;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.steward.core.command.CommandHeader;
import io.steward.core.config.ConfigTree;
import io.steward.core.event.Evidence;
import io.steward.core.event.OperatorRequest.RequestHeader;
import io.steward.core.model.Endpoints;
import io.steward.core.model.GroupId;
import io.steward.core.model.Lsn;
import io.steward.core.model.Observation;
import io.steward.core.model.PgState;
import io.steward.core.model.ReplicationPeer;
import io.steward.core.model.Role;
import io.steward.core.model.Tags;

/** The shared named types of the contract, to and from the core's values. */
final class CommonMapping {

    private static final ObjectMapper JSON = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private CommonMapping() {
    }

    // ---- LSNs and configuration --------------------------------------------------------------

    static Long lsn(Lsn lsn) {
        return lsn == null ? null : lsn.value();
    }

    static Lsn lsn(Long value) {
        return value == null ? null : new Lsn(value);
    }

    static String json(ConfigTree tree) {
        try {
            return JSON.writeValueAsString(tree.toMap());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static ConfigTree config(String json) {
        try {
            Object value = JSON.readValue(json, Object.class);
            if (!(value instanceof Map<?, ?> map)) {
                throw new IllegalArgumentException("a configuration must be a JSON object, got: " + json);
            }
            return ConfigTree.of((Map<String, ?>) map);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
    }

    // ---- groups, endpoints, tags -------------------------------------------------------------

    static GenericRecord group(Schema parent, String field, GroupId id) {
        GenericData.Record record = nested(parent, field);
        record.put("scope", id.scope());
        record.put("group", id.group());
        return record;
    }

    static GroupId group(GenericRecord record) {
        return new GroupId(requiredString(record, "scope"), intValue(record, "group"));
    }

    static GenericRecord endpoints(Schema parent, String field, Endpoints endpoints) {
        GenericData.Record record = nested(parent, field);
        record.put("apiUrl", endpoints.apiUrl());
        record.put("host", endpoints.host());
        record.put("port", endpoints.port());
        return record;
    }

    static Endpoints endpoints(GenericRecord record) {
        return new Endpoints(requiredString(record, "apiUrl"), requiredString(record, "host"), intValue(record, "port"));
    }

    static GenericRecord tags(Schema parent, String field, Tags tags) {
        GenericData.Record record = nested(parent, field);
        record.put("nofailover", tags.nofailover());
        record.put("failoverPriority", tags.failoverPriority());
        record.put("noloadbalance", tags.noloadbalance());
        record.put("clonefrom", tags.clonefrom());
        record.put("replicatefrom", tags.replicatefrom());
        record.put("nosync", tags.nosync());
        record.put("syncPriority", tags.syncPriority());
        record.put("nostream", tags.nostream());
        record.put("custom", tags.custom());
        return record;
    }

    static Tags tags(GenericRecord record) {
        return new Tags(bool(record, "nofailover"), intOrNull(record, "failoverPriority"), bool(record, "noloadbalance"),
                bool(record, "clonefrom"), string(record, "replicatefrom"), bool(record, "nosync"),
                intOrNull(record, "syncPriority"), bool(record, "nostream"), stringMap(record, "custom"));
    }

    // ---- observations and evidence -----------------------------------------------------------

    static GenericRecord observation(Schema parent, String field, Observation observation) {
        GenericData.Record record = nested(parent, field);
        Schema schema = record.getSchema();
        record.put("role", symbol(schema, "role", observation.role()));
        record.put("state", symbol(schema, "state", observation.state()));
        record.put("timeline", observation.timeline());
        record.put("writeLsn", lsn(observation.writeLsn()));
        record.put("flushLsn", lsn(observation.flushLsn()));
        record.put("receiveLsn", lsn(observation.receiveLsn()));
        record.put("replayLsn", lsn(observation.replayLsn()));
        record.put("replicationState", observation.replicationState());
        record.put("upstream", observation.upstream());
        record.put("pendingRestart", observation.pendingRestart());
        record.put("pendingRestartReasons", observation.pendingRestartReasons());
        Schema peerSchema = AvroRecords.nonNull(AvroRecords.fieldSchema(schema, "replication")).getElementType();
        List<GenericRecord> peers = new ArrayList<>();
        for (ReplicationPeer peer : observation.replication()) {
            GenericData.Record item = new GenericData.Record(peerSchema);
            item.put("name", peer.name());
            item.put("state", peer.state());
            item.put("syncState", peer.syncState());
            item.put("flushLsn", lsn(peer.flushLsn()));
            item.put("replayLsn", lsn(peer.replayLsn()));
            peers.add(item);
        }
        record.put("replication", peers);
        record.put("systemIdentifier", observation.systemIdentifier());
        record.put("synchronousStandbyNames", observation.synchronousStandbyNames());
        record.put("postmasterStartTime", observation.postmasterStartTime());
        record.put("configVersion", observation.configVersion());
        record.put("lagBytes", observation.lagBytes());
        record.put("lagMillis", observation.lagMillis());
        return record;
    }

    static Observation observation(GenericRecord record) {
        List<ReplicationPeer> peers = list(record, "replication", item -> {
            GenericRecord peer = (GenericRecord) item;
            return new ReplicationPeer(requiredString(peer, "name"), requiredString(peer, "state"),
                    requiredString(peer, "syncState"), lsn(longOrNull(peer, "flushLsn")), lsn(longOrNull(peer, "replayLsn")));
        });
        return new Observation(enumValue(record, "role", Role.class), enumValue(record, "state", PgState.class),
                intValue(record, "timeline"), lsn(longOrNull(record, "writeLsn")), lsn(longOrNull(record, "flushLsn")),
                lsn(longOrNull(record, "receiveLsn")), lsn(longOrNull(record, "replayLsn")),
                string(record, "replicationState"), string(record, "upstream"), bool(record, "pendingRestart"),
                stringMap(record, "pendingRestartReasons"), peers, longOrNull(record, "systemIdentifier"),
                string(record, "synchronousStandbyNames"), instant(record, "postmasterStartTime"),
                longValue(record, "configVersion"), longOrNull(record, "lagBytes"), longOrNull(record, "lagMillis"));
    }

    static List<GenericRecord> evidence(Schema parent, String field, List<Evidence> evidence) {
        Schema itemSchema = AvroRecords.fieldSchema(parent, field).getElementType();
        List<GenericRecord> items = new ArrayList<>();
        for (Evidence e : evidence) {
            GenericData.Record item = new GenericData.Record(itemSchema);
            item.put("member", e.member());
            item.put("role", symbol(itemSchema, "role", e.role()));
            item.put("state", symbol(itemSchema, "state", e.state()));
            item.put("timeline", e.timeline());
            item.put("walPosition", lsn(e.walPosition()));
            item.put("lagBytes", e.lagBytes());
            item.put("silenceMillis", e.silenceMillis());
            item.put("priority", e.priority());
            item.put("eligible", e.eligible());
            item.put("note", e.note());
            items.add(item);
        }
        return items;
    }

    static List<Evidence> evidence(GenericRecord record, String field) {
        return list(record, field, item -> {
            GenericRecord e = (GenericRecord) item;
            return new Evidence(requiredString(e, "member"), enumValue(e, "role", Role.class),
                    enumValue(e, "state", PgState.class), intValue(e, "timeline"), lsn(longOrNull(e, "walPosition")),
                    longValue(e, "lagBytes"), longValue(e, "silenceMillis"), intValue(e, "priority"), bool(e, "eligible"),
                    requiredString(e, "note"));
        });
    }

    // ---- headers -----------------------------------------------------------------------------

    static GenericRecord commandHeader(Schema parent, CommandHeader header) {
        GenericData.Record record = nested(parent, "header");
        record.put("id", header.id());
        record.put("epoch", header.epoch());
        record.put("group", group(record.getSchema(), "group", header.group()));
        record.put("member", header.member());
        return record;
    }

    static CommandHeader commandHeader(GenericRecord parent) {
        GenericRecord record = child(parent, "header");
        return new CommandHeader(requiredString(record, "id"), longValue(record, "epoch"), group(child(record, "group")),
                requiredString(record, "member"));
    }

    static GenericRecord requestHeader(Schema parent, RequestHeader header) {
        GenericData.Record record = nested(parent, "header");
        record.put("requestId", header.requestId());
        record.put("actor", header.actor());
        record.put("group", group(record.getSchema(), "group", header.group()));
        return record;
    }

    static RequestHeader requestHeader(GenericRecord parent) {
        GenericRecord record = child(parent, "header");
        return new RequestHeader(requiredString(record, "requestId"), requiredString(record, "actor"),
                group(child(record, "group")));
    }
}
