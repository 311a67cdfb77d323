package io.steward.testkit.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/** The YAML configuration trees the test kit writes for Steward's programs (agents, deciders). */
public final class YamlTree {

    private YamlTree() {
    }

    /** An ordered map of key, value, key, value... */
    public static Map<String, Object> map(Object... pairs) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }

    /** Sets the key at a dotted path ("restapi.authentication.username"), creating the maps on the way. */
    @SuppressWarnings("unchecked")
    public static void put(Map<String, Object> root, String path, Object value) {
        String[] parts = path.split("\\.");
        Map<String, Object> current = root;
        for (int i = 0; i < parts.length - 1; i++) {
            current = (Map<String, Object>) current.computeIfAbsent(parts[i], key -> new LinkedHashMap<String, Object>());
        }
        current.put(parts[parts.length - 1], value);
    }

    /** Writes the tree as block-style YAML. */
    public static void write(Path file, Map<String, Object> tree) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        try {
            Files.writeString(file, new Yaml(options).dump(tree));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
