package io.steward.events.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;

import io.steward.events.Decoded;
import io.steward.events.Samples;
import io.steward.events.codec.EventCodec;

/** The snapshot bytes: deterministic, and never trusted when damaged or from a newer format. */
class SnapshotCodecTest {

    private static final int PREFIX = 5;
    private static final PartitionSnapshot SNAPSHOT = PartitionSnapshot.of(SnapshotStates.unusualValues(), 2);
    private static final byte[] BYTES = SnapshotCodec.encode(SNAPSHOT);

    @Test
    void startsWithTheMagicAndTheFormatVersion() {
        assertThat(Arrays.copyOf(BYTES, PREFIX)).containsExactly('S', 'T', 'S', 'N', SnapshotCodec.FORMAT_VERSION);
    }

    @Test
    void equalSnapshotsEncodeToEqualBytes() {
        assertThat(SnapshotCodec.encode(SNAPSHOT)).isEqualTo(BYTES);
        // The decoded copy is equal but built of other collection classes and instances.
        PartitionSnapshot copy = SnapshotCodec.decode(BYTES).orElseThrow();
        assertThat(copy).isEqualTo(SNAPSHOT).isNotSameAs(SNAPSHOT);
        assertThat(SnapshotCodec.encode(copy)).isEqualTo(BYTES);
        assertThat(Arrays.copyOfRange(BYTES, PREFIX + 4, PREFIX + 8)).as("gzip modification time").containsOnly(0);
    }

    @Test
    void aNewerFormatVersionIsRefused() {
        byte[] newer = BYTES.clone();
        newer[4] = (byte) (SnapshotCodec.FORMAT_VERSION + 1);
        assertFailure(newer, "snapshot format version 2 is newer than this reader's 1");
        byte[] zero = BYTES.clone();
        zero[4] = 0;
        assertFailure(zero, "unknown snapshot format version 0");
    }

    @Test
    void shortOrForeignBytesAreRefused() {
        assertFailure(new byte[] {'S', 'T', 'S'}, "too short for a snapshot");
        assertThat(SnapshotCodec.decode(null)).isInstanceOfSatisfying(Decoded.Failed.class,
                failed -> assertThat(failed.reason()).contains("too short"));
        assertFailure(EventCodec.encode(Samples.requests().get(0)), "not a Steward snapshot: starts with C3 01");
    }

    @Test
    void truncatedSnapshotsAreRefused() {
        for (int length : new int[] {PREFIX, PREFIX + 3, PREFIX + 10, BYTES.length / 2, BYTES.length - 1}) {
            assertFailure(Arrays.copyOf(BYTES, length), "corrupt snapshot");
        }
    }

    @Test
    void aDamagedBodyIsRefused() {
        byte[] damaged = BYTES.clone();
        damaged[BYTES.length / 2] ^= 0x10;
        assertFailure(damaged, "corrupt snapshot");
    }

    @Test
    void jsonThatDoesNotMatchTheCoreRecordsIsRefused() {
        String json = json(BYTES);
        assertFailure(withJson("{}"), "Missing creator property 'partition'");
        assertFailure(withJson(json.replaceFirst("\"ignored\":", "\"skipped\":")), "Missing creator property 'ignored'");
        assertFailure(withJson(json.replaceFirst("\"ignored\":", "\"skipped\":0,\"ignored\":")),
                "Unrecognized field \"skipped\"");
        assertFailure(withJson(json.replaceFirst("\\{\"id\":\"scope-ü/7\",\"partition\":2,",
                "{\"id\":\"scope-ü/7\",\"partition\":3,")), "group scope-ü/7 belongs to partition 3, not to 2");
        assertFailure(withJson(json.replaceFirst("\"command\":\"[^\"]+\"", "\"command\":\"AAAAAAAAAAAAAAAA\"")),
                "cannot decode record: not an Avro single-object record");
        assertFailure(withJson(json.replaceFirst("\"request\":\"[^\"]+\"",
                "\"request\":\"" + base64(EventCodec.encode(Samples.commands().get(0))) + "\"")),
                "where a log event was expected");
        assertFailure(withJson(json + " {}"), "Trailing token");
    }

    @Test
    void randomDamageNeverThrows() {
        Random random = new Random(7);
        int refused = 0;
        for (int i = 0; i < 2000; i++) {
            byte[] damaged = BYTES.clone();
            for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                damaged[random.nextInt(damaged.length)] = (byte) random.nextInt(256);
            }
            if (SnapshotCodec.decode(damaged) instanceof Decoded.Failed<PartitionSnapshot> failed) {
                assertThat(failed.raw()).isEqualTo(damaged);
                assertThat(failed.reason()).isNotBlank();
                refused++;
            }
        }
        assertThat(refused).as("damaged snapshots refused").isGreaterThan(1900);
    }

    private static void assertFailure(byte[] bytes, String reason) {
        assertThat(SnapshotCodec.decode(bytes)).isInstanceOfSatisfying(Decoded.Failed.class, failed -> {
            assertThat(failed.reason()).contains(reason);
            assertThat(failed.raw()).isEqualTo(bytes);
        });
    }

    private static String json(byte[] snapshot) {
        try (var in = new GZIPInputStream(new ByteArrayInputStream(snapshot, PREFIX, snapshot.length - PREFIX))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Snapshot bytes of the current format holding {@code json}. */
    private static byte[] withJson(String json) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(Arrays.copyOf(BYTES, PREFIX));
        try (OutputStream gzip = new GZIPOutputStream(bytes)) {
            gzip.write(json.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return bytes.toByteArray();
    }

    private static String base64(byte[] bytes) {
        return java.util.Base64.getEncoder().encodeToString(bytes);
    }
}
