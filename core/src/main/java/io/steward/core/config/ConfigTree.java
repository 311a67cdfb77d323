package io.steward.core.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An immutable JSON-like tree: the dynamic configuration of a group, or a patch to it.
 *
 * <p>Leaves are {@link String}, {@link Long}, {@link Double}, {@link Boolean}, immutable
 * {@link List}s of leaves or trees, or nested {@code ConfigTree}s. Keys iterate in sorted order, so
 * the same tree always prints and encodes the same way. In a patch, {@link #DELETE} removes a key
 * (JSON merge patch, RFC 7396: a {@code null} in the patch).
 */
public final class ConfigTree {

    /** In a patch: remove this key. */
    public static final Object DELETE = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    public static final ConfigTree EMPTY = new ConfigTree(new TreeMap<>());

    private final SortedMap<String, Object> entries;

    private ConfigTree(SortedMap<String, Object> entries) {
        this.entries = Collections.unmodifiableSortedMap(entries);
    }

    /**
     * A tree from nested maps and lists, as a JSON or YAML parser produces them. {@code null} values
     * become {@link #DELETE}; integers become {@link Long}; other numbers {@link Double}.
     */
    public static ConfigTree of(Map<String, ?> source) {
        TreeMap<String, Object> entries = new TreeMap<>();
        source.forEach((key, value) -> entries.put(Objects.requireNonNull(key, "key"), normalize(value)));
        return new ConfigTree(entries);
    }

    private static Object normalize(Object value) {
        if (value == null) {
            return DELETE;
        }
        if (value instanceof ConfigTree || value instanceof String || value instanceof Boolean || value == DELETE) {
            return value;
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof java.math.BigInteger big) {
            return big.longValue();
        }
        if (value instanceof Number number) {
            return number.doubleValue();
        }
        if (value instanceof Map<?, ?> map) {
            TreeMap<String, Object> nested = new TreeMap<>();
            map.forEach((key, inner) -> nested.put(String.valueOf(key), normalize(inner)));
            return new ConfigTree(nested);
        }
        if (value instanceof List<?> list) {
            List<Object> items = new ArrayList<>(list.size());
            for (Object item : list) {
                items.add(normalize(item));
            }
            return Collections.unmodifiableList(items);
        }
        throw new IllegalArgumentException("unsupported configuration value of type " + value.getClass().getName());
    }

    /** The entries, in key order. */
    public SortedMap<String, Object> entries() {
        return entries;
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The value at a dotted path ("postgresql.parameters.max_connections"), or null. */
    public Object get(String path) {
        Object current = this;
        for (String part : path.split("\\.")) {
            if (!(current instanceof ConfigTree tree)) {
                return null;
            }
            current = tree.entries.get(part);
        }
        return current == DELETE ? null : current;
    }

    /** The subtree at a dotted path, or {@link #EMPTY}. */
    public ConfigTree subtree(String path) {
        return get(path) instanceof ConfigTree tree ? tree : EMPTY;
    }

    /** This tree with {@code value} at a dotted path, creating intermediate trees. */
    public ConfigTree with(String path, Object value) {
        int dot = path.indexOf('.');
        TreeMap<String, Object> copy = new TreeMap<>(entries);
        if (dot < 0) {
            copy.put(path, normalize(value));
        } else {
            String head = path.substring(0, dot);
            ConfigTree child = entries.get(head) instanceof ConfigTree tree ? tree : EMPTY;
            copy.put(head, child.with(path.substring(dot + 1), value));
        }
        return new ConfigTree(copy);
    }

    /** This tree with {@code patch} applied as a JSON merge patch (RFC 7396). */
    public ConfigTree merge(ConfigTree patch) {
        TreeMap<String, Object> merged = new TreeMap<>(entries);
        patch.entries.forEach((key, value) -> {
            if (value == DELETE) {
                merged.remove(key);
            } else if (value instanceof ConfigTree patchChild) {
                ConfigTree base = merged.get(key) instanceof ConfigTree tree ? tree : EMPTY;
                merged.put(key, base.merge(patchChild));
            } else {
                merged.put(key, value);
            }
        });
        return new ConfigTree(merged);
    }

    /** Nested {@link Map}s and {@link List}s, for serializers at the edges; {@link #DELETE} becomes null. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new java.util.LinkedHashMap<>();
        entries.forEach((key, value) -> map.put(key, plain(value)));
        return map;
    }

    private static Object plain(Object value) {
        if (value == DELETE) {
            return null;
        }
        if (value instanceof ConfigTree tree) {
            return tree.toMap();
        }
        if (value instanceof List<?> list) {
            List<Object> items = new ArrayList<>(list.size());
            for (Object item : list) {
                items.add(plain(item));
            }
            return items;
        }
        return value;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ConfigTree that && that.entries.equals(entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    /** A compact JSON-like rendering, for reasons and logs. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("{");
        entries.forEach((key, value) -> {
            if (out.length() > 1) {
                out.append(", ");
            }
            out.append(key).append(": ").append(value instanceof String text ? "'" + text + "'" : value);
        });
        return out.append('}').toString();
    }
}
