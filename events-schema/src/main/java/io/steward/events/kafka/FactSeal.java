package io.steward.events.kafka;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The seal on a fact handed in on the facts topic: who wrote it, and an HMAC-SHA256 of its key and
 * value under that writer's key. A writer's key is derived from a secret only the deciders hold
 * ({@link #writerKey}), so a writer can seal its own facts and nobody else's, and a decider can
 * check any writer's seal without a store of keys (ADR 7).
 *
 * <p>Identities: {@code member:<scope>/<name>} for an agent, {@code citus-sync:<scope>/<name>} for
 * citus-sync. Thread-safe; each call makes its own {@link Mac}.
 */
public final class FactSeal {

    /** The header naming the writer. */
    public static final String WRITER = "steward.writer";
    /** The header with the HMAC (32 bytes). */
    public static final String SEAL = "steward.seal";

    private static final String ALGORITHM = "HmacSHA256";
    private static final byte[] DERIVATION = "steward writer key v1\0".getBytes(StandardCharsets.UTF_8);

    private FactSeal() {
    }

    /** An agent's identity. */
    public static String member(String scope, String name) {
        return "member:" + scope + "/" + name;
    }

    /** A citus-sync instance's identity. */
    public static String citusSync(String scope, String name) {
        return "citus-sync:" + scope + "/" + name;
    }

    /** The key of {@code writer}: an HMAC of its identity under the deciders' {@code secret}. */
    public static byte[] writerKey(byte[] secret, String writer) {
        Mac mac = mac(secret);
        mac.update(DERIVATION);
        return mac.doFinal(writer.getBytes(StandardCharsets.UTF_8));
    }

    /** Adds the writer and the seal of {@code key} and {@code value} to {@code headers}. */
    public static void seal(Headers headers, String writer, byte[] writerKey, byte[] key, byte[] value) {
        headers.remove(WRITER).remove(SEAL);
        headers.add(WRITER, writer.getBytes(StandardCharsets.UTF_8));
        headers.add(SEAL, hmac(writerKey, writer, key, value));
    }

    /**
     * The record of {@code event} on the facts topic, keyed by {@code key}: sealed with
     * {@code writerKey}, or, without one, naming its writer only (a decider without a secret admits it).
     */
    public static ProducerRecord<byte[], byte[]> fact(String topic, String writer, byte[] writerKey, String key,
                                                      io.steward.core.event.Event event) {
        byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        byte[] value = io.steward.events.codec.EventCodec.encode(event);
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, keyBytes, value);
        if (writerKey != null) {
            seal(record.headers(), writer, writerKey, keyBytes, value);
        } else {
            record.headers().add(WRITER, writer.getBytes(StandardCharsets.UTF_8));
        }
        return record;
    }

    /** The writer a record's headers name, or null. */
    public static String writerOf(Headers headers) {
        Header header = headers.lastHeader(WRITER);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** Whether the record's seal was made with {@code writerKey} (compared in constant time). */
    public static boolean verify(Headers headers, byte[] writerKey, byte[] key, byte[] value) {
        String writer = writerOf(headers);
        Header seal = headers.lastHeader(SEAL);
        return writer != null && seal != null && MessageDigest.isEqual(seal.value(), hmac(writerKey, writer, key, value));
    }

    /** A key as written in a writer's key file: base64. */
    public static String encode(byte[] writerKey) {
        return Base64.getEncoder().encodeToString(writerKey);
    }

    /** Reads a key as written by {@link #encode}. */
    public static byte[] decode(String text) {
        return Base64.getDecoder().decode(text.strip());
    }

    private static byte[] hmac(byte[] writerKey, String writer, byte[] key, byte[] value) {
        Mac mac = mac(writerKey);
        mac.update(writer.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 0);
        lengthPrefixed(mac, key);
        lengthPrefixed(mac, value);
        return mac.doFinal();
    }

    private static void lengthPrefixed(Mac mac, byte[] bytes) {
        int length = bytes == null ? -1 : bytes.length;
        mac.update(new byte[] {(byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length});
        if (bytes != null) {
            mac.update(bytes);
        }
    }

    private static Mac mac(byte[] key) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }
}
