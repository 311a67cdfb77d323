package io.steward.core.model;

/**
 * A PostgreSQL write-ahead log position, printed as PostgreSQL prints it ({@code 0/3000060}).
 *
 * <p>Compared as an unsigned 64-bit number, as PostgreSQL does.
 */
public record Lsn(long value) implements Comparable<Lsn> {

    public static final Lsn ZERO = new Lsn(0);

    /** Parses {@code "16/B374D848"}. */
    public static Lsn parse(String text) {
        int slash = text.indexOf('/');
        if (slash <= 0 || slash == text.length() - 1) {
            throw new IllegalArgumentException("not an LSN (expected like 0/3000060): '" + text + "'");
        }
        try {
            long high = Long.parseLong(text.substring(0, slash), 16);
            long low = Long.parseLong(text.substring(slash + 1), 16);
            if (high > 0xFFFFFFFFL || low > 0xFFFFFFFFL || high < 0 || low < 0) {
                throw new NumberFormatException("part out of range");
            }
            return new Lsn((high << 32) | low);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an LSN (expected like 0/3000060): '" + text + "'", e);
        }
    }

    /** The larger of two positions; null counts as absent. */
    public static Lsn max(Lsn a, Lsn b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** Bytes from {@code other} to this position; 0 when {@code other} is ahead. */
    public long bytesAfter(Lsn other) {
        long difference = value - other.value;
        return Long.compareUnsigned(value, other.value) > 0 ? difference : 0;
    }

    public boolean isAtLeast(Lsn other) {
        return compareTo(other) >= 0;
    }

    @Override
    public int compareTo(Lsn other) {
        return Long.compareUnsigned(value, other.value);
    }

    @Override
    public String toString() {
        return Long.toHexString(value >>> 32).toUpperCase() + "/" + Long.toHexString(value & 0xFFFFFFFFL).toUpperCase();
    }
}
