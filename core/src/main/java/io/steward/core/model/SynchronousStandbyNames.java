package io.steward.core.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * PostgreSQL's {@code synchronous_standby_names}, parsed and printed.
 *
 * @param quorum      {@code ANY n (...)} rather than {@code FIRST n (...)}
 * @param count       how many standbys must confirm a commit; 0 when empty
 * @param names       the standbys listed
 * @param placeholder a name nobody has (or {@code *} with no standby): commits block until changed
 */
public record SynchronousStandbyNames(boolean quorum, int count, List<String> names, boolean placeholder) {

    /** The name Steward lists when commits must block (strict mode, no standby). */
    public static final String PLACEHOLDER = "__steward_strict_sync_placeholder__";

    public static final SynchronousStandbyNames NONE = new SynchronousStandbyNames(false, 0, List.of(), false);

    public SynchronousStandbyNames {
        names = List.copyOf(names);
    }

    /** Parses the setting's text; unknown syntax yields {@link #NONE}. */
    public static SynchronousStandbyNames parse(String text) {
        if (text == null || text.isBlank()) {
            return NONE;
        }
        String value = text.trim();
        boolean quorum = false;
        String upper = value.toUpperCase(Locale.ROOT);
        if (upper.startsWith("ANY ")) {
            quorum = true;
            value = value.substring(4).trim();
        } else if (upper.startsWith("FIRST ")) {
            value = value.substring(6).trim();
        }
        int count = 1;
        int open = value.indexOf('(');
        String list = value;
        if (open >= 0 && value.endsWith(")")) {
            String number = value.substring(0, open).trim();
            try {
                count = number.isEmpty() ? 1 : Integer.parseInt(number);
            } catch (NumberFormatException e) {
                return NONE;
            }
            list = value.substring(open + 1, value.length() - 1);
        }
        List<String> names = new ArrayList<>();
        for (String part : list.split(",")) {
            String name = part.trim();
            if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) {
                name = name.substring(1, name.length() - 1).replace("\"\"", "\"");
            }
            if (!name.isEmpty()) {
                names.add(name);
            }
        }
        boolean placeholder = names.contains("*") || names.contains(PLACEHOLDER);
        if (placeholder) {
            names.remove("*");
            names.remove(PLACEHOLDER);
        }
        return new SynchronousStandbyNames(quorum, count, names, placeholder);
    }

    /** The value to set: {@code FIRST 2 ("a","b")}, {@code ANY 1 ("a","b")}, or empty. */
    public String render() {
        if (placeholder && names.isEmpty()) {
            return (quorum ? "ANY " : "FIRST ") + Math.max(1, count) + " (\"" + PLACEHOLDER + "\")";
        }
        if (names.isEmpty() || count == 0) {
            return "";
        }
        StringBuilder out = new StringBuilder(quorum ? "ANY " : "FIRST ").append(count).append(" (");
        for (int i = 0; i < names.size(); i++) {
            out.append(i == 0 ? "" : ",").append('"').append(names.get(i).replace("\"", "\"\"")).append('"');
        }
        return out.append(')').toString();
    }

    /** Whether this setting and {@code other} demand the same confirmations. */
    public boolean sameAs(SynchronousStandbyNames other) {
        if (names.isEmpty() && other.names.isEmpty()) {
            return placeholder == other.placeholder;
        }
        return quorum == other.quorum && count == other.count && placeholder == other.placeholder
                && new java.util.TreeSet<>(names).equals(new java.util.TreeSet<>(other.names));
    }
}
