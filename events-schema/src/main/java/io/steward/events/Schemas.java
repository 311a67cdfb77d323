package io.steward.events;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

/**
 * Every schema of the contract: the current version of each record, and every earlier version
 * (the history) so that records written by older processes still decode.
 *
 * <p>Schemas live as resources: {@code schemas/<topic>/<Record>.avsc} for the current versions
 * (shared named types in {@code common}), {@code schema-history/<Record>/v<n>.avsc} for every
 * version ever released, self-contained. Immutable and thread-safe once loaded.
 */
public final class Schemas {

    /** The topics whose records are schemas here, in the order named types are defined. */
    public static final List<String> TOPICS = List.of("common", "log", "commands");

    private static final String ROOT = "/io/steward/events/";
    private static final List<String> COMMON_ORDER = List.of("Role", "PgState", "StateChange", "Outcome",
            "FailoverKind", "DemoteMode", "RoleFilter", "ActionKind", "PlannedStop", "GroupKey", "Endpoints", "Tags",
            "ReplicationPeer", "Observation", "Evidence", "CommandHeader", "RequestHeader");
    private static final Schemas INSTANCE = load();

    private final Map<String, Schema> current;
    private final Map<String, String> topics;
    private final Map<Long, Schema> byFingerprint;
    private final Map<String, List<Schema>> history;

    private Schemas(Map<String, Schema> current, Map<String, String> topics, Map<Long, Schema> byFingerprint,
                    Map<String, List<Schema>> history) {
        this.current = Collections.unmodifiableMap(current);
        this.topics = Collections.unmodifiableMap(topics);
        this.byFingerprint = Collections.unmodifiableMap(byFingerprint);
        this.history = Collections.unmodifiableMap(history);
    }

    public static Schemas get() {
        return INSTANCE;
    }

    /** The current schema of a record, by simple name ("MemberObserved"). */
    public Schema schema(String name) {
        Schema schema = current.get(name);
        if (schema == null) {
            throw new IllegalArgumentException("no schema named " + name);
        }
        return schema;
    }

    /** Every current record schema of {@code topic}, by simple name. */
    public Map<String, Schema> topic(String topic) {
        Map<String, Schema> result = new TreeMap<>();
        current.forEach((name, schema) -> {
            if (topic.equals(topics.get(name))) {
                result.put(name, schema);
            }
        });
        return result;
    }

    /** The topic ("log", "commands", "common") a record belongs to. */
    public String topicOf(String name) {
        return topics.get(name);
    }

    /** Any version (current or historical) by its CRC-64-AVRO fingerprint, or null. */
    public Schema byFingerprint(long fingerprint) {
        return byFingerprint.get(fingerprint);
    }

    /** The released versions of a record, oldest first. */
    public List<Schema> history(String name) {
        return history.getOrDefault(name, List.of());
    }

    /** A copy that also knows {@code older} as a released version of its record (for tests of evolution). */
    Schemas withVersion(Schema older) {
        Map<Long, Schema> fingerprints = new LinkedHashMap<>(byFingerprint);
        fingerprints.putIfAbsent(fingerprint(older), older);
        Map<String, List<Schema>> versions = new LinkedHashMap<>(history);
        List<Schema> list = new ArrayList<>();
        list.add(older);
        list.addAll(history(older.getName()));
        versions.put(older.getName(), List.copyOf(list));
        return new Schemas(current, topics, fingerprints, versions);
    }

    /** The fingerprint single-object encoding puts in its header. */
    public static long fingerprint(Schema schema) {
        return SchemaNormalization.parsingFingerprint64(schema);
    }

    private static Schemas load() {
        Map<String, Schema> current = new LinkedHashMap<>();
        Map<String, String> topics = new LinkedHashMap<>();
        Schema.Parser parser = new Schema.Parser();
        for (String name : COMMON_ORDER) {
            Schema schema = parser.parse(read(ROOT + "schemas/common/" + name + ".avsc"));
            current.put(name, schema);
            topics.put(name, "common");
        }
        for (String topic : List.of("log", "commands")) {
            for (String file : list(ROOT + "schemas/" + topic)) {
                Schema schema = parser.parse(read(ROOT + "schemas/" + topic + "/" + file));
                current.put(schema.getName(), schema);
                topics.put(schema.getName(), topic);
            }
        }
        Map<Long, Schema> byFingerprint = new LinkedHashMap<>();
        Map<String, List<Schema>> history = new LinkedHashMap<>();
        current.forEach((name, schema) -> {
            byFingerprint.put(fingerprint(schema), schema);
            List<Schema> versions = new ArrayList<>();
            for (String file : list(ROOT + "schema-history/" + name)) {
                Schema old = new Schema.Parser().parse(read(ROOT + "schema-history/" + name + "/" + file));
                versions.add(old);
                byFingerprint.putIfAbsent(fingerprint(old), old);
            }
            history.put(name, List.copyOf(versions));
        });
        return new Schemas(current, topics, byFingerprint, history);
    }

    private static String read(String resource) {
        try (InputStream in = Schemas.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing schema resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** File names in a resource directory, sorted (v1, v2, ... sort by number). */
    private static List<String> list(String directory) {
        var url = Schemas.class.getResource(directory);
        if (url == null) {
            return List.of();
        }
        try {
            URI uri = url.toURI();
            if ("jar".equals(uri.getScheme())) {
                try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
                    return names(jar.getPath(directory));
                } catch (java.nio.file.FileSystemAlreadyExistsException e) {
                    return names(FileSystems.getFileSystem(uri).getPath(directory));
                }
            }
            return names(Path.of(uri));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> names(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".avsc"))
                    .sorted((a, b) -> {
                        int byLength = Integer.compare(a.length(), b.length());
                        return byLength != 0 ? byLength : a.compareTo(b);
                    }).toList();
        }
    }
}
