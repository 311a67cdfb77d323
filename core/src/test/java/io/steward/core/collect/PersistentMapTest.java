package io.steward.core.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

class PersistentMapTest {

    /** Keys whose hash codes collide on purpose. */
    record Colliding(int id) {
        @Override
        public int hashCode() {
            return id % 7;
        }
    }

    @Test
    void behavesLikeAHashMapUnderRandomUpdates() {
        Random random = new Random(7);
        Map<Object, Integer> reference = new HashMap<>();
        PersistentMap<Object, Integer> map = PersistentMap.empty();
        for (int i = 0; i < 50_000; i++) {
            Object key = random.nextBoolean() ? Integer.valueOf(random.nextInt(3000)) : new Colliding(random.nextInt(200));
            if (random.nextInt(4) == 0) {
                reference.remove(key);
                map = map.without(key);
            } else {
                int value = random.nextInt();
                reference.put(key, value);
                map = map.with(key, value);
            }
        }
        assertThat(map.size()).isEqualTo(reference.size());
        assertThat(map.toMap()).isEqualTo(reference);
        for (Map.Entry<Object, Integer> entry : reference.entrySet()) {
            assertThat(map.get(entry.getKey())).isEqualTo(entry.getValue());
        }
    }

    @Test
    void updatesLeaveTheOriginalUntouched() {
        PersistentMap<String, Integer> first = PersistentMap.<String, Integer>empty().with("a", 1).with("b", 2);
        PersistentMap<String, Integer> second = first.with("a", 10).without("b").with("c", 3);
        assertThat(first.toMap()).isEqualTo(Map.of("a", 1, "b", 2));
        assertThat(second.toMap()).isEqualTo(Map.of("a", 10, "c", 3));
    }

    @Test
    void equalContentIsEqualWhateverTheHistory() {
        PersistentMap<String, Integer> a = PersistentMap.<String, Integer>empty().with("x", 1).with("y", 2);
        PersistentMap<String, Integer> b = PersistentMap.<String, Integer>empty().with("y", 2).with("z", 3).with("x", 1)
                .without("z");
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a.with("x", 1)).isSameAs(a);
    }

    @Test
    void refusesNulls() {
        assertThatThrownBy(() -> PersistentMap.empty().with(null, 1)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> PersistentMap.empty().with("k", null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void sortedKeysGiveADeterministicOrder() {
        PersistentMap<String, Integer> map = PersistentMap.copyOf(Map.of("c", 3, "a", 1, "b", 2));
        assertThat(map.sortedKeys(String::compareTo)).containsExactly("a", "b", "c");
    }
}
