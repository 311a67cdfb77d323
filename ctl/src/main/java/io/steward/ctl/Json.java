package io.steward.ctl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/** The JSON and YAML readers and writers, set up to print as patronictl does. */
final class Json {

    static final ObjectMapper JSON = new ObjectMapper();

    /** Block-style YAML without the document marker, quoting only where a scalar would change meaning. */
    static final YAMLMapper YAML = new YAMLMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .build());

    private Json() {
    }

    /** One line, with Python's {@code json.dumps} separators ({@code ", "} and {@code ": "}). */
    static String oneLine(Object value) {
        try {
            return JSON.writer(new PythonSeparators()).writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Indented JSON, for a configuration. */
    static String indented(Object value) {
        try {
            return JSON.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Block YAML, ending with a newline. */
    static String yaml(Object value) {
        try {
            return YAML.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A value as YAML reads it ({@code 100} is a number, {@code on} a string, {@code null} or nothing is null). */
    static Object scalar(String text) {
        if (text.isBlank()) {
            return null;
        }
        try {
            return plain(YAML.readValue(text, Object.class));
        } catch (IOException e) {
            return text;
        }
    }

    /** Parses a document (JSON is YAML too). */
    static Object parseYaml(String text, String what) {
        try {
            return plain(YAML.readValue(text, Object.class));
        } catch (IOException e) {
            throw CtlException.refused("Cannot parse " + what + ": " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    static Object plain(JsonNode node) {
        try {
            return plain(JSON.treeToValue(node, Object.class));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Nested maps (sorted by key), lists and leaves, with every integer a {@link Long} and every
     * other number a {@link Double}, so two configurations compare equal whatever parsed them.
     */
    static Object plain(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> sorted = new TreeMap<>();
            map.forEach((key, inner) -> sorted.put(String.valueOf(key), plain(inner)));
            return sorted;
        }
        if (value instanceof List<?> list) {
            List<Object> items = new ArrayList<>(list.size());
            list.forEach(item -> items.add(plain(item)));
            return items;
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof java.math.BigInteger big) {
            return big.longValue();
        }
        if (value instanceof Number number) {
            return number.doubleValue();
        }
        return value;
    }

    private static final class PythonSeparators extends MinimalPrettyPrinter {
        @Override
        public void writeObjectFieldValueSeparator(JsonGenerator generator) throws IOException {
            generator.writeRaw(": ");
        }

        @Override
        public void writeObjectEntrySeparator(JsonGenerator generator) throws IOException {
            generator.writeRaw(", ");
        }

        @Override
        public void writeArrayValueSeparator(JsonGenerator generator) throws IOException {
            generator.writeRaw(", ");
        }
    }
}
