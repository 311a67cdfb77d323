package io.steward.events.codec;

import static io.steward.events.codec.AvroRecords.bool;
import static io.steward.events.codec.AvroRecords.child;
import static io.steward.events.codec.AvroRecords.enumValue;
import static io.steward.events.codec.AvroRecords.intOrNull;
import static io.steward.events.codec.AvroRecords.intValue;
import static io.steward.events.codec.AvroRecords.longOrNull;
import static io.steward.events.codec.AvroRecords.longValue;
import static io.steward.events.codec.AvroRecords.record;
import static io.steward.events.codec.AvroRecords.requiredString;
import static io.steward.events.codec.AvroRecords.string;
import static io.steward.events.codec.AvroRecords.strings;
import static io.steward.events.codec.AvroRecords.symbol;
import static io.steward.events.codec.CommonMapping.commandHeader;
import static io.steward.events.codec.CommonMapping.config;
import static io.steward.events.codec.CommonMapping.endpoints;
import static io.steward.events.codec.CommonMapping.json;
import static io.steward.events.codec.CommonMapping.lsn;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

import io.steward.core.command.Command;
import io.steward.core.command.CommandHeader;

/** Commands (the commands topic), to and from the core's records. */
public final class CommandMapping {

    private CommandMapping() {
    }

    /** The Avro record for {@code command}. */
    public static GenericRecord toAvro(Command command) {
        String name = command.getClass().getSimpleName();
        GenericData.Record record = record(name);
        Schema schema = record.getSchema();
        record.put("header", commandHeader(schema, command.header()));
        switch (command) {
            case Command.Bootstrap c -> record.put("adoptExistingData", c.adoptExistingData());
            case Command.Clone c -> copy(record, c.source(), c.sourceEndpoints(), c.leader(), c.leaderEndpoints(),
                    c.slot());
            case Command.Follow c -> {
                record.put("upstream", c.upstream());
                record.put("upstreamEndpoints", endpoints(schema, "upstreamEndpoints", c.upstreamEndpoints()));
                record.put("slot", c.slot());
                record.put("rewindIfDiverged", c.rewindIfDiverged());
            }
            case Command.Promote c -> record.put("requireLsn", lsn(c.requireLsn()));
            case Command.Demote c -> record.put("mode", symbol(schema, "mode", c.mode()));
            case Command.Restart c -> {
                record.put("timeoutSeconds", c.timeoutSeconds());
                record.put("reason", c.reason());
            }
            case Command.Reload c -> {
            }
            case Command.Reinitialize c -> copy(record, c.source(), c.sourceEndpoints(), c.leader(),
                    c.leaderEndpoints(), c.slot());
            case Command.Rewind c -> {
                record.put("source", c.source());
                record.put("sourceEndpoints", endpoints(schema, "sourceEndpoints", c.sourceEndpoints()));
                record.put("slot", c.slot());
            }
            case Command.ApplyConfiguration c -> {
                record.put("version", c.version());
                record.put("config", json(c.config()));
            }
            case Command.SetSynchronousStandbys c -> {
                record.put("standbys", c.standbys());
                record.put("count", c.count());
                record.put("quorum", c.quorum());
                record.put("placeholder", c.placeholder());
            }
        }
        return record;
    }

    /** The fields of the commands that copy a data directory from a source (clone, reinitialize). */
    private static void copy(GenericData.Record record, String source, io.steward.core.model.Endpoints sourceEndpoints,
                             String leader, io.steward.core.model.Endpoints leaderEndpoints, String slot) {
        Schema schema = record.getSchema();
        record.put("source", source);
        record.put("sourceEndpoints", endpoints(schema, "sourceEndpoints", sourceEndpoints));
        record.put("leader", leader);
        record.put("leaderEndpoints", endpoints(schema, "leaderEndpoints", leaderEndpoints));
        record.put("slot", slot);
    }

    /** The command an Avro record of the commands topic holds. */
    public static Command fromAvro(GenericRecord record) {
        CommandHeader header = commandHeader(record);
        String name = record.getSchema().getName();
        return switch (name) {
            case "Bootstrap" -> new Command.Bootstrap(header, bool(record, "adoptExistingData"));
            case "Clone" -> new Command.Clone(header, requiredString(record, "source"),
                    endpoints(child(record, "sourceEndpoints")), requiredString(record, "leader"),
                    endpoints(child(record, "leaderEndpoints")), requiredString(record, "slot"));
            case "Follow" -> new Command.Follow(header, requiredString(record, "upstream"),
                    endpoints(child(record, "upstreamEndpoints")), requiredString(record, "slot"),
                    bool(record, "rewindIfDiverged"));
            case "Promote" -> new Command.Promote(header, lsn(longOrNull(record, "requireLsn")));
            case "Demote" -> new Command.Demote(header, enumValue(record, "mode", Command.DemoteMode.class));
            case "Restart" -> new Command.Restart(header, intOrNull(record, "timeoutSeconds"), string(record, "reason"));
            case "Reload" -> new Command.Reload(header);
            case "Reinitialize" -> new Command.Reinitialize(header, requiredString(record, "source"),
                    endpoints(child(record, "sourceEndpoints")), requiredString(record, "leader"),
                    endpoints(child(record, "leaderEndpoints")), requiredString(record, "slot"));
            case "Rewind" -> new Command.Rewind(header, requiredString(record, "source"),
                    endpoints(child(record, "sourceEndpoints")), requiredString(record, "slot"));
            case "ApplyConfiguration" -> new Command.ApplyConfiguration(header, longValue(record, "version"),
                    config(requiredString(record, "config")));
            case "SetSynchronousStandbys" -> new Command.SetSynchronousStandbys(header, strings(record, "standbys"),
                    intValue(record, "count"), bool(record, "quorum"), bool(record, "placeholder"));
            default -> throw new IllegalArgumentException("not a command: " + record.getSchema().getFullName());
        };
    }
}
