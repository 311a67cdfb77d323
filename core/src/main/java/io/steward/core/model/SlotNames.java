package io.steward.core.model;

/** Physical replication slot names for members, as Patroni derives them. */
public final class SlotNames {

    private static final int MAX_LENGTH = 63;

    private SlotNames() {
    }

    /**
     * The slot of {@code member} on its upstream: lower case, {@code -} and {@code .} become
     * {@code _}, any other character outside {@code [a-z0-9_]} becomes {@code uXXXX} (its code
     * point), at most 63 characters.
     */
    public static String forMember(String member) {
        StringBuilder slot = new StringBuilder();
        for (char c : member.toLowerCase(java.util.Locale.ROOT).toCharArray()) {
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_') {
                slot.append(c);
            } else if (c == '-' || c == '.') {
                slot.append('_');
            } else {
                slot.append(String.format("u%04x", (int) c));
            }
        }
        return slot.length() > MAX_LENGTH ? slot.substring(0, MAX_LENGTH) : slot.toString();
    }
}
