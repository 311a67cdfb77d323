package io.steward.ctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ConfigEditsTest {

    @Test
    void valuesAreReadAsYamlScalarsAsPyYamlReadsThem() {
        Map<String, Object> changed = ConfigEdits.set(Map.of(), List.of("a=100", "b=1.5", "c=true", "d='100'", "e=64MB",
                "f.g=on"));

        assertThat(changed).containsEntry("a", 100L).containsEntry("b", 1.5).containsEntry("c", true)
                .containsEntry("d", "100").containsEntry("e", "64MB");
        assertThat(changed.get("f")).isEqualTo(Map.of("g", true));
    }

    @Test
    void deletingTheLastKeyRemovesTheEmptyParent() {
        Map<String, Object> config = Map.of("postgresql", Map.of("parameters", Map.of("work_mem", "4MB")), "ttl", 30);

        assertThat(ConfigEdits.set(config, List.of("postgresql.parameters.work_mem=null"))).isEqualTo(Map.of("ttl", 30L));
    }

    @Test
    void aSettingWithoutEqualsIsAUsageError() {
        assertThatThrownBy(() -> ConfigEdits.set(Map.of(), List.of("ttl")))
                .isInstanceOf(CtlException.class).hasMessage("Invalid parameter setting ttl");
    }

    @Test
    void mergeReplacesScalarsMergesMappingsAndDeletesNulls() {
        Map<String, Object> patch = new HashMap<>();
        patch.put("a", Map.of("x", 2));
        patch.put("b", null);
        patch.put("c", "new");

        assertThat(ConfigEdits.merge(Map.of("a", Map.of("x", 1, "y", 1), "b", 1, "c", "old"), patch))
                .isEqualTo(Map.of("a", Map.of("x", 2L, "y", 1L), "c", "new"));
    }

    @Test
    void mergePatchTurnsTheOldConfigurationIntoTheNew() {
        Map<String, Object> before = Map.of("a", Map.of("x", 1L, "y", 1L), "b", 1L, "c", List.of(1L));
        Map<String, Object> after = Map.of("a", Map.of("x", 1L, "z", 3L), "c", List.of(1L, 2L), "d", "new");

        Map<String, Object> patch = ConfigEdits.mergePatch(before, after);

        Map<String, Object> removedY = new HashMap<>(Map.of("z", 3L));
        removedY.put("y", null);
        Map<String, Object> expected = new HashMap<>();
        expected.put("a", removedY);
        expected.put("b", null);
        expected.put("c", List.of(1L, 2L));
        expected.put("d", "new");
        assertThat(patch).isEqualTo(expected);
        assertThat(ConfigEdits.merge(before, patch)).isEqualTo(after);
    }

    @Test
    void diffSplitsDistantChangesIntoHunksAsDifflibDoes() {
        String before = "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\n";
        String after = "A\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nL\nm\n";

        assertThat(LineDiff.unified(before, after, "old", "new")).containsExactly(
                "--- old", "+++ new",
                "@@ -1,4 +1,4 @@", "-a", "+A", " b", " c", " d",
                "@@ -9,4 +9,5 @@", " i", " j", " k", "-l", "+L", "+m");
        assertThat(LineDiff.unified(before, before, "old", "new")).isEmpty();
        assertThat(LineDiff.unified("", "x\n", "old", "new")).containsExactly("--- old", "+++ new", "@@ -0,0 +1 @@", "+x");
    }
}
