package io.steward.core.collect;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;

/**
 * An immutable hash map with structural sharing (a hash array mapped trie).
 *
 * <p>{@link #with} and {@link #without} return a new map and copy only the path to the changed
 * entry, so an update costs O(log32 n) however large the map is: folding a heartbeat of one member
 * costs the size of its group, not the size of the fleet.
 *
 * <p>Iteration order follows the keys' hash codes and must not be relied on for anything a
 * decision depends on; {@link #sortedKeys} gives a deterministic order. Null keys and values are
 * refused. Equality is by content, as for {@link Map}.
 */
public final class PersistentMap<K, V> implements Iterable<Map.Entry<K, V>> {

    private static final int BITS = 5;
    private static final int MASK = (1 << BITS) - 1;
    private static final PersistentMap<?, ?> EMPTY = new PersistentMap<>(null, 0);

    private final Node root;
    private final int size;

    private PersistentMap(Node root, int size) {
        this.root = root;
        this.size = size;
    }

    @SuppressWarnings("unchecked")
    public static <K, V> PersistentMap<K, V> empty() {
        return (PersistentMap<K, V>) EMPTY;
    }

    /** A map holding the entries of {@code source}. */
    public static <K, V> PersistentMap<K, V> copyOf(Map<K, V> source) {
        PersistentMap<K, V> map = empty();
        for (Map.Entry<K, V> entry : source.entrySet()) {
            map = map.with(entry.getKey(), entry.getValue());
        }
        return map;
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    @SuppressWarnings("unchecked")
    public V get(K key) {
        Objects.requireNonNull(key, "key");
        return root == null ? null : (V) root.find(key, key.hashCode(), 0);
    }

    public V getOrDefault(K key, V fallback) {
        V value = get(key);
        return value == null ? fallback : value;
    }

    public boolean containsKey(K key) {
        return get(key) != null;
    }

    /** This map with {@code key} mapped to {@code value}; the same instance if it already maps to that very value. */
    public PersistentMap<K, V> with(K key, V value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        int hash = key.hashCode();
        if (root == null) {
            return new PersistentMap<>(Bitmap.single(key, hash, 0, value), 1);
        }
        boolean[] added = new boolean[1];
        Node changed = root.put(key, hash, 0, value, added);
        return changed == root ? this : new PersistentMap<>(changed, size + (added[0] ? 1 : 0));
    }

    /** This map with {@code key}'s value replaced by {@code update(old)}; absent keys are left out. */
    public PersistentMap<K, V> update(K key, UnaryOperator<V> update) {
        V old = get(key);
        return old == null ? this : with(key, update.apply(old));
    }

    /** This map without {@code key}. */
    public PersistentMap<K, V> without(K key) {
        Objects.requireNonNull(key, "key");
        if (root == null) {
            return this;
        }
        Node changed = root.remove(key, key.hashCode(), 0);
        if (changed == root) {
            return this;
        }
        return changed == null ? empty() : new PersistentMap<>(changed, size - 1);
    }

    /** Every value, in hash order. */
    @SuppressWarnings("unchecked")
    public List<V> values() {
        List<V> values = new ArrayList<>(size);
        forEach((key, value) -> values.add(value));
        return values;
    }

    /** Every key sorted by {@code order}: a deterministic order to decide by. */
    public List<K> sortedKeys(Comparator<? super K> order) {
        List<K> keys = new ArrayList<>(size);
        forEach((key, value) -> keys.add(key));
        keys.sort(order);
        return keys;
    }

    @SuppressWarnings("unchecked")
    public void forEach(BiConsumer<? super K, ? super V> action) {
        if (root != null) {
            root.forEach((BiConsumer<Object, Object>) action);
        }
    }

    @Override
    public Iterator<Map.Entry<K, V>> iterator() {
        List<Map.Entry<K, V>> entries = new ArrayList<>(size);
        forEach((key, value) -> entries.add(Map.entry(key, value)));
        return entries.iterator();
    }

    /** A mutable copy, for callers at the edges. */
    public Map<K, V> toMap() {
        Map<K, V> map = new java.util.HashMap<>();
        forEach(map::put);
        return map;
    }

    @Override
    @SuppressWarnings("unchecked")
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof PersistentMap<?, ?> that) || that.size != size) {
            return false;
        }
        boolean[] same = {true};
        forEach((key, value) -> {
            if (same[0] && !value.equals(((PersistentMap<Object, Object>) that).get(key))) {
                same[0] = false;
            }
        });
        return same[0];
    }

    @Override
    public int hashCode() {
        int[] hash = {0};
        forEach((key, value) -> hash[0] += key.hashCode() ^ value.hashCode());
        return hash[0];
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("{");
        forEach((key, value) -> out.append(out.length() > 1 ? ", " : "").append(key).append('=').append(value));
        return out.append('}').toString();
    }

    // ---- trie nodes --------------------------------------------------------------------------

    private interface Node {
        Object find(Object key, int hash, int shift);

        Node put(Object key, int hash, int shift, Object value, boolean[] added);

        /** Null when the node becomes empty. */
        Node remove(Object key, int hash, int shift);

        void forEach(BiConsumer<Object, Object> action);
    }

    /** Up to 32 slots, present ones packed; a slot holds an entry (key, value) or a child node. */
    private static final class Bitmap implements Node {
        private final int bitmap;
        private final Object[] slots; // pairs: key or null, value or child node

        Bitmap(int bitmap, Object[] slots) {
            this.bitmap = bitmap;
            this.slots = slots;
        }

        static Bitmap single(Object key, int hash, int shift, Object value) {
            return new Bitmap(bit(hash, shift), new Object[] {key, value});
        }

        @Override
        public Object find(Object key, int hash, int shift) {
            int bit = bit(hash, shift);
            if ((bitmap & bit) == 0) {
                return null;
            }
            int index = index(bit);
            Object slotKey = slots[2 * index];
            Object slotValue = slots[2 * index + 1];
            if (slotKey == null) {
                return ((Node) slotValue).find(key, hash, shift + BITS);
            }
            return key.equals(slotKey) ? slotValue : null;
        }

        @Override
        public Node put(Object key, int hash, int shift, Object value, boolean[] added) {
            int bit = bit(hash, shift);
            int index = index(bit);
            if ((bitmap & bit) == 0) {
                Object[] copy = new Object[slots.length + 2];
                System.arraycopy(slots, 0, copy, 0, 2 * index);
                copy[2 * index] = key;
                copy[2 * index + 1] = value;
                System.arraycopy(slots, 2 * index, copy, 2 * index + 2, slots.length - 2 * index);
                added[0] = true;
                return new Bitmap(bitmap | bit, copy);
            }
            Object slotKey = slots[2 * index];
            Object slotValue = slots[2 * index + 1];
            Object newSlotKey;
            Object newSlotValue;
            if (slotKey == null) {
                Node child = (Node) slotValue;
                Node changed = child.put(key, hash, shift + BITS, value, added);
                if (changed == child) {
                    return this;
                }
                newSlotKey = null;
                newSlotValue = changed;
            } else if (key.equals(slotKey)) {
                // Identity, not equals: comparing two large values (a whole group's state) to save
                // one node copy costs more than the copy.
                if (value == slotValue) {
                    return this;
                }
                newSlotKey = key;
                newSlotValue = value;
            } else {
                added[0] = true;
                newSlotKey = null;
                newSlotValue = merge(slotKey, slotKey.hashCode(), slotValue, key, hash, value, shift + BITS);
            }
            Object[] copy = slots.clone();
            copy[2 * index] = newSlotKey;
            copy[2 * index + 1] = newSlotValue;
            return new Bitmap(bitmap, copy);
        }

        @Override
        public Node remove(Object key, int hash, int shift) {
            int bit = bit(hash, shift);
            if ((bitmap & bit) == 0) {
                return this;
            }
            int index = index(bit);
            Object slotKey = slots[2 * index];
            Object slotValue = slots[2 * index + 1];
            if (slotKey == null) {
                Node child = (Node) slotValue;
                Node changed = child.remove(key, hash, shift + BITS);
                if (changed == child) {
                    return this;
                }
                if (changed != null) {
                    Object[] copy = slots.clone();
                    copy[2 * index + 1] = changed;
                    return new Bitmap(bitmap, copy);
                }
            } else if (!key.equals(slotKey)) {
                return this;
            }
            if (bitmap == bit) {
                return null;
            }
            Object[] copy = new Object[slots.length - 2];
            System.arraycopy(slots, 0, copy, 0, 2 * index);
            System.arraycopy(slots, 2 * index + 2, copy, 2 * index, slots.length - 2 * index - 2);
            return new Bitmap(bitmap & ~bit, copy);
        }

        @Override
        public void forEach(BiConsumer<Object, Object> action) {
            for (int i = 0; i < slots.length; i += 2) {
                if (slots[i] == null) {
                    ((Node) slots[i + 1]).forEach(action);
                } else {
                    action.accept(slots[i], slots[i + 1]);
                }
            }
        }

        private int index(int bit) {
            return Integer.bitCount(bitmap & (bit - 1));
        }

        private static int bit(int hash, int shift) {
            return 1 << ((hash >>> shift) & MASK);
        }

        private static Node merge(Object key1, int hash1, Object value1, Object key2, int hash2, Object value2,
                                  int shift) {
            if (hash1 == hash2 || shift >= 32) {
                return new Collision(hash1, new Object[] {key1, value1, key2, value2});
            }
            int bit1 = bit(hash1, shift);
            int bit2 = bit(hash2, shift);
            if (bit1 == bit2) {
                return new Bitmap(bit1, new Object[] {null, merge(key1, hash1, value1, key2, hash2, value2,
                        shift + BITS)});
            }
            // Slots are ordered by bit position; bit 31 is negative as an int, so compare unsigned.
            Object[] slots = Integer.compareUnsigned(bit1, bit2) < 0
                    ? new Object[] {key1, value1, key2, value2}
                    : new Object[] {key2, value2, key1, value1};
            return new Bitmap(bit1 | bit2, slots);
        }
    }

    /** Keys whose full hash codes are equal. */
    private static final class Collision implements Node {
        private final int hash;
        private final Object[] pairs;

        Collision(int hash, Object[] pairs) {
            this.hash = hash;
            this.pairs = pairs;
        }

        @Override
        public Object find(Object key, int hash, int shift) {
            for (int i = 0; i < pairs.length; i += 2) {
                if (key.equals(pairs[i])) {
                    return pairs[i + 1];
                }
            }
            return null;
        }

        @Override
        public Node put(Object key, int hash, int shift, Object value, boolean[] added) {
            if (hash != this.hash) {
                // A key that shares this bucket's path but not its hash: push the bucket one level
                // down until the two hashes part.
                Node wrapped = new Bitmap(Bitmap.bit(this.hash, shift), new Object[] {null, this});
                return wrapped.put(key, hash, shift, value, added);
            }
            for (int i = 0; i < pairs.length; i += 2) {
                if (key.equals(pairs[i])) {
                    if (value == pairs[i + 1]) {
                        return this;
                    }
                    Object[] copy = pairs.clone();
                    copy[i + 1] = value;
                    return new Collision(hash, copy);
                }
            }
            Object[] copy = Arrays.copyOf(pairs, pairs.length + 2);
            copy[pairs.length] = key;
            copy[pairs.length + 1] = value;
            added[0] = true;
            return new Collision(hash, copy);
        }

        @Override
        public Node remove(Object key, int hash, int shift) {
            for (int i = 0; i < pairs.length; i += 2) {
                if (key.equals(pairs[i])) {
                    if (pairs.length == 2) {
                        return null;
                    }
                    Object[] copy = new Object[pairs.length - 2];
                    System.arraycopy(pairs, 0, copy, 0, i);
                    System.arraycopy(pairs, i + 2, copy, i, pairs.length - i - 2);
                    return new Collision(this.hash, copy);
                }
            }
            return this;
        }

        @Override
        public void forEach(BiConsumer<Object, Object> action) {
            for (int i = 0; i < pairs.length; i += 2) {
                action.accept(pairs[i], pairs[i + 1]);
            }
        }
    }
}
