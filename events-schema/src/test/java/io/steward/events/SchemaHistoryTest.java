package io.steward.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.SchemaValidationException;
import org.apache.avro.SchemaValidatorBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

import io.steward.core.event.AgentEvent.MemberRegistered;
import io.steward.core.event.Event;
import io.steward.events.codec.EventCodec;

/**
 * The contract's evolution rules, as a schema registry would enforce them (FULL_TRANSITIVE): every
 * record's current schema reads every released version, and every released version reads the
 * current one. A changed schema must be released as a new version in {@code schema-history}.
 */
class SchemaHistoryTest {

    private static final Schemas SCHEMAS = Schemas.get();

    @Test
    void everyRecordIsFullyTransitivelyCompatibleWithItsHistory() throws SchemaValidationException {
        for (String topic : List.of("log", "commands")) {
            for (Map.Entry<String, Schema> entry : SCHEMAS.topic(topic).entrySet()) {
                List<Schema> history = SCHEMAS.history(entry.getKey());
                assertThat(history).as("released versions of %s", entry.getKey()).isNotEmpty();
                new SchemaValidatorBuilder().mutualReadStrategy().validateAll().validate(entry.getValue(),
                        reversed(history));
            }
        }
    }

    @Test
    void everyChangedSchemaIsReleasedAsANewVersion() {
        for (String topic : List.of("log", "commands")) {
            for (Map.Entry<String, Schema> entry : SCHEMAS.topic(topic).entrySet()) {
                List<Schema> history = SCHEMAS.history(entry.getKey());
                Schema latest = history.get(history.size() - 1);
                assertThat(Schemas.fingerprint(latest))
                        .as("%s differs from its latest released version: add it to schema-history/%s as v%d",
                                entry.getKey(), entry.getKey(), history.size() + 1)
                        .isEqualTo(Schemas.fingerprint(entry.getValue()));
            }
        }
    }

    @Test
    void everyRecordAndFieldIsDocumented() {
        for (String topic : Schemas.TOPICS) {
            for (Schema schema : SCHEMAS.topic(topic).values()) {
                assertThat(schema.getDoc()).as(schema.getFullName()).isNotBlank();
                if (schema.getType() == Schema.Type.RECORD) {
                    for (Schema.Field field : schema.getFields()) {
                        assertThat(field.doc()).as(schema.getName() + "." + field.name()).isNotBlank();
                    }
                }
            }
        }
    }

    @Test
    void aRecordWrittenByAnOlderVersionDecodesWithDefaults() {
        Schema current = SCHEMAS.schema("MemberRegistered");
        Schema older = withoutFields(current, "version", "systemIdentifier");
        Schemas withOlder = SCHEMAS.withVersion(older);
        GenericRecord written = new GenericData.Record(older);
        GenericRecord full = EventCodec.toAvro(Samples.events().get(0));
        for (Schema.Field field : older.getFields()) {
            written.put(field.name(), full.get(field.name()));
        }
        byte[] bytes = new SingleObjectCodec(withOlder).encode(written);
        GenericRecord read = new SingleObjectCodec(withOlder).decode(bytes).orElseThrow();
        Event event = EventCodec.fromAvro(read);
        assertThat(event).isInstanceOfSatisfying(MemberRegistered.class, registered -> {
            assertThat(registered.member()).isEqualTo("n2");
            assertThat(registered.version()).isNull();
            assertThat(registered.systemIdentifier()).isNull();
        });
        assertThat(new SingleObjectCodec(SCHEMAS).decode(bytes)).isInstanceOf(Decoded.Failed.class);
    }

    @Test
    void anIncompatibleChangeIsCaught() {
        Schema current = SCHEMAS.schema("Promote");
        Schema.Field required = new Schema.Field("mustHave", Schema.create(Schema.Type.STRING), "no default", (Object) null);
        List<Schema.Field> fields = new ArrayList<>();
        current.getFields().forEach(f -> fields.add(new Schema.Field(f, f.schema())));
        fields.add(required);
        Schema changed = Schema.createRecord(current.getName(), current.getDoc(), current.getNamespace(), false, fields);
        assertThatThrownBy(() -> new SchemaValidatorBuilder().mutualReadStrategy().validateAll()
                .validate(changed, SCHEMAS.history("Promote"))).isInstanceOf(SchemaValidationException.class);
    }

    private static Schema withoutFields(Schema schema, String... removed) {
        List<String> drop = List.of(removed);
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field field : schema.getFields()) {
            if (!drop.contains(field.name())) {
                fields.add(new Schema.Field(field, field.schema()));
            }
        }
        return Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
    }

    private static List<Schema> reversed(List<Schema> history) {
        List<Schema> copy = new ArrayList<>(history);
        java.util.Collections.reverse(copy);
        return copy;
    }
}
