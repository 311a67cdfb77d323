package io.steward.events.snapshot;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.steward.events.Decoded;

/**
 * The bytes of a {@link PartitionSnapshot}, the value of the compacted snapshots topic.
 *
 * <p>Layout: the magic {@code "STSN"}, one byte of format version ({@value #FORMAT_VERSION}), then
 * gzip-compressed JSON (see {@link SnapshotModule} for how the core's values look in it). A
 * snapshot is only a shortcut over the log, so decoding refuses anything it is not sure of rather
 * than guess: a newer format version, a record the core no longer has the same components for (a
 * missing or unknown JSON property), damaged bytes. It never throws; on {@link Decoded.Failed} the
 * caller replays the partition from its beginning.
 *
 * <p>Encoding is deterministic: records keep their component order, maps are written sorted by
 * key, groups sorted by id, and the gzip header carries no timestamp, so equal snapshots give equal
 * bytes on the same runtime. Thread-safe.
 *
 * <p>Bump {@link #FORMAT_VERSION} when a change of the core's state records would make an older
 * reader misread a newer snapshot without failing.
 */
public final class SnapshotCodec {

    /** The format this codec writes, and the newest it reads. */
    public static final int FORMAT_VERSION = 1;

    private static final byte[] MAGIC = {'S', 'T', 'S', 'N'};
    private static final int PREFIX = MAGIC.length + 1;

    private static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new SnapshotModule())
            // Records are written from their fields and read through their canonical constructor; no
            // derived isX()/getX() method of the core becomes a property.
            .visibility(PropertyAccessor.ALL, Visibility.NONE)
            .visibility(PropertyAccessor.FIELD, Visibility.ANY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // NaN and infinities in a configuration stay numbers rather than becoming strings.
            .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private SnapshotCodec() {
    }

    /** The snapshot's bytes; equal snapshots give equal bytes. */
    public static byte[] encode(PartitionSnapshot snapshot) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
        bytes.write(MAGIC, 0, MAGIC.length);
        bytes.write(FORMAT_VERSION);
        try (OutputStream gzip = new GZIPOutputStream(bytes)) {
            JSON.writeValue(gzip, snapshot);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the snapshot of partition "
                    + snapshot.partition().partition(), e);
        }
        return bytes.toByteArray();
    }

    /** The snapshot, or why these bytes are not one this codec can trust. */
    public static Decoded<PartitionSnapshot> decode(byte[] bytes) {
        if (bytes == null || bytes.length < PREFIX) {
            return Decoded.failed(bytes, "too short for a snapshot (" + (bytes == null ? 0 : bytes.length)
                    + " bytes, at least " + PREFIX + " needed)");
        }
        if (!Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            return Decoded.failed(bytes, String.format("not a Steward snapshot: starts with %02X %02X %02X %02X, not "
                    + "'STSN'", bytes[0], bytes[1], bytes[2], bytes[3]));
        }
        int version = bytes[MAGIC.length] & 0xFF;
        if (version > FORMAT_VERSION) {
            return Decoded.failed(bytes, "snapshot format version " + version + " is newer than this reader's "
                    + FORMAT_VERSION + ": written by a newer Steward");
        }
        if (version < 1) {
            return Decoded.failed(bytes, "unknown snapshot format version " + version);
        }
        try (InputStream json = new GZIPInputStream(new ByteArrayInputStream(bytes, PREFIX, bytes.length - PREFIX))) {
            return Decoded.ok(JSON.readValue(json, PartitionSnapshot.class));
        } catch (IOException | RuntimeException e) {
            return Decoded.failed(bytes, "corrupt snapshot: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }
}
