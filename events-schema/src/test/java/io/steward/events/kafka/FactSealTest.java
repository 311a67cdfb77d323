package io.steward.events.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class FactSealTest {

    private static final byte[] SECRET = "the deciders' secret".getBytes(StandardCharsets.UTF_8);
    private static final byte[] KEY = "demo/0".getBytes(StandardCharsets.UTF_8);
    private static final byte[] VALUE = {(byte) 0xC3, 1, 2, 3};

    @Test
    void aSealMadeWithTheWritersKeyVerifies() {
        String pg1 = FactSeal.member("demo", "pg1");
        RecordHeaders headers = new RecordHeaders();
        FactSeal.seal(headers, pg1, FactSeal.writerKey(SECRET, pg1), KEY, VALUE);

        assertThat(FactSeal.writerOf(headers)).isEqualTo("member:demo/pg1");
        assertThat(FactSeal.verify(headers, FactSeal.writerKey(SECRET, pg1), KEY, VALUE)).isTrue();
    }

    @Test
    void aChangedValueOrKeyDoesNotVerify() {
        String pg1 = FactSeal.member("demo", "pg1");
        byte[] key = FactSeal.writerKey(SECRET, pg1);
        RecordHeaders headers = new RecordHeaders();
        FactSeal.seal(headers, pg1, key, KEY, VALUE);

        assertThat(FactSeal.verify(headers, key, KEY, new byte[] {(byte) 0xC3, 1, 2, 4})).isFalse();
        assertThat(FactSeal.verify(headers, key, "demo/1".getBytes(StandardCharsets.UTF_8), VALUE)).isFalse();
    }

    @Test
    void aWriterCannotSealForAnotherWriter() {
        String pg1 = FactSeal.member("demo", "pg1");
        String pg2 = FactSeal.member("demo", "pg2");
        RecordHeaders headers = new RecordHeaders();
        // pg1 names pg2 as the writer, but only has its own key
        FactSeal.seal(headers, pg2, FactSeal.writerKey(SECRET, pg1), KEY, VALUE);

        assertThat(FactSeal.verify(headers, FactSeal.writerKey(SECRET, pg2), KEY, VALUE)).isFalse();
        assertThat(FactSeal.writerKey(SECRET, pg1)).isNotEqualTo(FactSeal.writerKey(SECRET, pg2));
        assertThat(FactSeal.writerKey(SECRET, pg1)).isNotEqualTo(
                FactSeal.writerKey("another secret".getBytes(StandardCharsets.UTF_8), pg1));
    }

    @Test
    void anUnsealedRecordDoesNotVerify() {
        assertThat(FactSeal.verify(new RecordHeaders(), FactSeal.writerKey(SECRET, "member:demo/pg1"), KEY, VALUE))
                .isFalse();
        assertThat(FactSeal.writerOf(new RecordHeaders())).isNull();
    }

    @Test
    void keysTravelAsBase64() {
        byte[] key = FactSeal.writerKey(SECRET, "citus-sync:demo/c1");
        assertThat(FactSeal.decode(FactSeal.encode(key) + "\n")).isEqualTo(key);
        assertThat(FactSeal.citusSync("demo", "c1")).isEqualTo("citus-sync:demo/c1");
    }
}
