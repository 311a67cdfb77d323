package io.steward.events;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.apache.avro.Schema;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;

/**
 * Avro single-object encoding (no registry service): the two marker bytes {@code C3 01}, the
 * writer schema's 8-byte CRC-64-AVRO fingerprint (little-endian), then the binary body.
 *
 * <p>Decoding finds the writer schema by fingerprint among current and historical versions and
 * resolves it to the current version of the same record, so records written by older processes
 * decode with defaults for the fields they lack. Anything that cannot be decoded comes back as
 * {@link Decoded.Failed} with the raw bytes; decoding never throws. Thread-safe.
 */
public final class SingleObjectCodec {

    /** Generic data with java.time conversions for timestamp-millis fields. */
    public static final GenericData DATA = data();

    private static final byte MARKER_1 = (byte) 0xC3;
    private static final byte MARKER_2 = (byte) 0x01;
    private static final int HEADER = 10;

    private final Schemas schemas;

    public SingleObjectCodec(Schemas schemas) {
        this.schemas = schemas;
    }

    /** Encodes a record written with one of the current schemas. */
    public byte[] encode(GenericRecord record) {
        Schema schema = record.getSchema();
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        out.write(MARKER_1);
        out.write(MARKER_2);
        byte[] fingerprint = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(Schemas.fingerprint(schema)).array();
        out.write(fingerprint, 0, 8);
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            new GenericDatumWriter<GenericRecord>(schema, DATA).write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Decodes to the current version of the writer's record, or says why not. */
    public Decoded<GenericRecord> decode(byte[] bytes) {
        if (bytes == null || bytes.length < HEADER) {
            return Decoded.failed(bytes, "too short for an Avro single-object record (" + (bytes == null ? 0 : bytes.length)
                    + " bytes, at least " + HEADER + " needed)");
        }
        if (bytes[0] != MARKER_1 || bytes[1] != MARKER_2) {
            return Decoded.failed(bytes, String.format("not an Avro single-object record: starts with %02X %02X, not C3 01",
                    bytes[0], bytes[1]));
        }
        long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        Schema writer = schemas.byFingerprint(fingerprint);
        if (writer == null) {
            return Decoded.failed(bytes, String.format("unknown schema fingerprint %016x: written by a newer version, "
                    + "or not a Steward record", fingerprint));
        }
        Schema reader;
        try {
            reader = schemas.schema(writer.getName());
        } catch (IllegalArgumentException e) {
            return Decoded.failed(bytes, "record " + writer.getFullName() + " is no longer part of the contract");
        }
        try {
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, HEADER, bytes.length - HEADER, null);
            GenericRecord record = new GenericDatumReader<GenericRecord>(writer, reader, DATA).read(null, decoder);
            if (!decoder.isEnd()) {
                return Decoded.failed(bytes, "corrupt " + writer.getName() + " record: trailing bytes after the body");
            }
            return Decoded.ok(record);
        } catch (IOException | RuntimeException e) {
            return Decoded.failed(bytes, "corrupt " + writer.getName() + " record: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    private static GenericData data() {
        GenericData data = new GenericData();
        data.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
        return data;
    }
}
