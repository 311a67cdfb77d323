package io.steward.events.codec;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

import io.steward.events.Schemas;

/** Small helpers for reading and writing generic records by field name. */
final class AvroRecords {

    private AvroRecords() {
    }

    /** A new, empty record of the current schema {@code name}. */
    static GenericData.Record record(String name) {
        return new GenericData.Record(Schemas.get().schema(name));
    }

    /** A new record of the (non-null) type of {@code parent}'s field. */
    static GenericData.Record nested(Schema parent, String field) {
        return new GenericData.Record(nonNull(fieldSchema(parent, field)));
    }

    static Schema fieldSchema(Schema parent, String field) {
        Schema.Field f = parent.getField(field);
        if (f == null) {
            throw new IllegalArgumentException(parent.getName() + " has no field " + field);
        }
        return f.schema();
    }

    static Schema nonNull(Schema schema) {
        if (schema.getType() != Schema.Type.UNION) {
            return schema;
        }
        for (Schema branch : schema.getTypes()) {
            if (branch.getType() != Schema.Type.NULL) {
                return branch;
            }
        }
        throw new IllegalArgumentException("union without a non-null branch: " + schema);
    }

    static GenericData.EnumSymbol symbol(Schema parent, String field, Enum<?> value) {
        return new GenericData.EnumSymbol(nonNull(fieldSchema(parent, field)), value.name());
    }

    static String string(GenericRecord record, String field) {
        Object value = record.get(field);
        return value == null ? null : value.toString();
    }

    static String requiredString(GenericRecord record, String field) {
        String value = string(record, field);
        if (value == null) {
            throw new IllegalArgumentException(record.getSchema().getName() + "." + field + " is missing");
        }
        return value;
    }

    static Long longOrNull(GenericRecord record, String field) {
        Object value = record.get(field);
        return value == null ? null : ((Number) value).longValue();
    }

    static long longValue(GenericRecord record, String field) {
        Long value = longOrNull(record, field);
        if (value == null) {
            throw new IllegalArgumentException(record.getSchema().getName() + "." + field + " is missing");
        }
        return value;
    }

    static Integer intOrNull(GenericRecord record, String field) {
        Object value = record.get(field);
        return value == null ? null : ((Number) value).intValue();
    }

    static int intValue(GenericRecord record, String field) {
        return ((Number) record.get(field)).intValue();
    }

    static boolean bool(GenericRecord record, String field) {
        return Boolean.TRUE.equals(record.get(field));
    }

    static Instant instant(GenericRecord record, String field) {
        Object value = record.get(field);
        if (value == null) {
            return null;
        }
        return value instanceof Instant instant ? instant : Instant.ofEpochMilli(((Number) value).longValue());
    }

    static <E extends Enum<E>> E enumValue(GenericRecord record, String field, Class<E> type) {
        Object value = record.get(field);
        if (value == null) {
            throw new IllegalArgumentException(record.getSchema().getName() + "." + field + " is missing");
        }
        return Enum.valueOf(type, value.toString());
    }

    static GenericRecord child(GenericRecord record, String field) {
        return (GenericRecord) record.get(field);
    }

    static List<String> strings(GenericRecord record, String field) {
        return list(record, field, Object::toString);
    }

    @SuppressWarnings("unchecked")
    static <T> List<T> list(GenericRecord record, String field, Function<Object, T> item) {
        Object value = record.get(field);
        if (value == null) {
            return List.of();
        }
        List<T> result = new ArrayList<>();
        for (Object element : (List<Object>) value) {
            result.add(item.apply(element));
        }
        return result;
    }

    /** A string map; Avro hands back its own string type for keys and values. */
    @SuppressWarnings("unchecked")
    static Map<String, String> stringMap(GenericRecord record, String field) {
        Object value = record.get(field);
        Map<String, String> result = new TreeMap<>();
        if (value != null) {
            ((Map<Object, Object>) value).forEach((k, v) -> result.put(k.toString(), v == null ? null : v.toString()));
        }
        return result;
    }

    static byte[] bytes(GenericRecord record, String field) {
        java.nio.ByteBuffer buffer = (java.nio.ByteBuffer) record.get(field);
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
