package io.steward.core.collect;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Immutable collections whose iteration order is their sort order, so that what the core derives
 * from them is the same on every run and every JVM ({@link Map#copyOf} iterates in an order that
 * changes from run to run).
 */
public final class Sorted {

    private Sorted() {
    }

    /** An immutable copy of {@code map}, iterating in key order. */
    public static <K extends Comparable<K>, V> SortedMap<K, V> copyOf(Map<K, V> map) {
        return Collections.unmodifiableSortedMap(new TreeMap<>(map));
    }

    /** {@code map} with {@code key} mapped to {@code value}. */
    public static <K extends Comparable<K>, V> SortedMap<K, V> with(SortedMap<K, V> map, K key, V value) {
        TreeMap<K, V> copy = new TreeMap<>(map);
        copy.put(key, value);
        return Collections.unmodifiableSortedMap(copy);
    }

    /** {@code map} without {@code key}. */
    public static <K extends Comparable<K>, V> SortedMap<K, V> without(SortedMap<K, V> map, K key) {
        if (!map.containsKey(key)) {
            return map;
        }
        TreeMap<K, V> copy = new TreeMap<>(map);
        copy.remove(key);
        return Collections.unmodifiableSortedMap(copy);
    }

    /** An empty map. */
    public static <K extends Comparable<K>, V> SortedMap<K, V> empty() {
        return Collections.unmodifiableSortedMap(new TreeMap<>());
    }

    /** {@code list} with {@code item} appended. */
    public static <T> List<T> append(List<T> list, T item) {
        java.util.ArrayList<T> copy = new java.util.ArrayList<>(list.size() + 1);
        copy.addAll(list);
        copy.add(item);
        return List.copyOf(copy);
    }

    /** Keys → values by a key function, in key order. */
    public static <K extends Comparable<K>, V> SortedMap<K, V> index(Iterable<V> values, Function<V, K> key) {
        TreeMap<K, V> map = new TreeMap<>();
        for (V value : values) {
            map.put(key.apply(value), value);
        }
        return Collections.unmodifiableSortedMap(map);
    }
}
