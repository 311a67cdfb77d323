package io.steward.events;

import java.util.Objects;

/**
 * The result of decoding one record: the value, or why it could not be decoded together with the
 * raw bytes, so a consumer can dead-letter it and carry on. Decoding never throws.
 */
public sealed interface Decoded<T> {

    /** A decoded value. */
    record Ok<T>(T value) implements Decoded<T> {
        public Ok {
            Objects.requireNonNull(value, "value");
        }
    }

    /** A record that could not be decoded: the bytes as received and what is wrong with them. */
    record Failed<T>(byte[] raw, String reason) implements Decoded<T> {
        public Failed {
            raw = raw == null ? new byte[0] : raw.clone();
        }

        @Override
        public byte[] raw() {
            return raw.clone();
        }
    }

    static <T> Decoded<T> ok(T value) {
        return new Ok<>(value);
    }

    static <T> Decoded<T> failed(byte[] raw, String reason) {
        return new Failed<>(raw, reason);
    }

    /** The value; throws with the reason when decoding failed (for callers that cannot go on without it). */
    default T orElseThrow() {
        return switch (this) {
            case Ok<T> ok -> ok.value();
            case Failed<T> failed -> throw new IllegalArgumentException("cannot decode record: " + failed.reason());
        };
    }
}
