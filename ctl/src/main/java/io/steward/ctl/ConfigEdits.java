package io.steward.ctl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The configuration changes {@code edit-config} computes locally, before it shows the diff and
 * sends anything: patronictl's {@code -s key=value} paths and YAML patches, and the JSON merge
 * patch (RFC 7396) that turns the old configuration into the new one.
 */
final class ConfigEdits {

    private static final List<String> PARAMETERS = List.of("postgresql", "parameters");

    private ConfigEdits() {
    }

    /**
     * Applies {@code key.path=value} settings: values are YAML scalars, {@code null} (or nothing)
     * deletes, and under {@code postgresql.parameters} the rest of the key is one GUC name even
     * when it has dots.
     */
    static Map<String, Object> set(Map<String, Object> config, List<String> pairs) {
        Map<String, Object> changed = copy(config);
        for (String pair : pairs) {
            int equals = pair == null ? -1 : pair.indexOf('=');
            if (equals <= 0) {
                throw CtlException.usage("Invalid parameter setting " + pair);
            }
            List<String> path = Arrays.asList(pair.substring(0, equals).strip().split("\\."));
            if (path.size() > 2 && path.subList(0, 2).equals(PARAMETERS)) {
                path = List.of(PARAMETERS.get(0), PARAMETERS.get(1), String.join(".", path.subList(2, path.size())));
            }
            setPath(changed, path, Json.scalar(pair.substring(equals + 1)));
        }
        return changed;
    }

    @SuppressWarnings("unchecked")
    private static void setPath(Map<String, Object> config, List<String> path, Object value) {
        String key = path.getFirst();
        if (path.size() == 1) {
            if (value == null) {
                config.remove(key);
            } else {
                config.put(key, value);
            }
            return;
        }
        if (!(config.get(key) instanceof Map)) {
            config.put(key, new TreeMap<String, Object>());
        }
        Map<String, Object> inner = (Map<String, Object>) config.get(key);
        setPath(inner, path.subList(1, path.size()), value);
        if (inner.isEmpty()) {
            config.remove(key);
        }
    }

    /** {@code config} with {@code patch} merged in (nested mappings merge, {@code null} deletes). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> merge(Map<String, Object> config, Map<String, Object> patch) {
        Map<String, Object> merged = copy(config);
        patch.forEach((key, value) -> {
            if (value == null) {
                merged.remove(key);
            } else if (value instanceof Map<?, ?> inner && merged.get(key) instanceof Map<?, ?> existing) {
                merged.put(key, merge((Map<String, Object>) existing, (Map<String, Object>) inner));
            } else if (value instanceof Map<?, ?> inner) {
                merged.put(key, merge(Map.of(), (Map<String, Object>) inner));
            } else {
                merged.put(key, Json.plain(value));
            }
        });
        return merged;
    }

    /** The merge patch from {@code before} to {@code after}: changed and new keys, {@code null} for removed ones. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> mergePatch(Map<String, Object> before, Map<String, Object> after) {
        Map<String, Object> patch = new TreeMap<>();
        List<String> keys = new ArrayList<>(before.keySet());
        after.keySet().stream().filter(key -> !before.containsKey(key)).forEach(keys::add);
        for (String key : keys) {
            Object old = before.get(key);
            Object now = after.get(key);
            if (!after.containsKey(key)) {
                patch.put(key, null);
            } else if (old instanceof Map<?, ?> oldMap && now instanceof Map<?, ?> newMap) {
                Map<String, Object> inner = mergePatch((Map<String, Object>) oldMap, (Map<String, Object>) newMap);
                if (!inner.isEmpty()) {
                    patch.put(key, inner);
                }
            } else if (!before.containsKey(key) || !Objects.equals(old, now)) {
                patch.put(key, now);
            }
        }
        return patch;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> copy(Map<String, Object> config) {
        return (Map<String, Object>) Json.plain(config);
    }
}
