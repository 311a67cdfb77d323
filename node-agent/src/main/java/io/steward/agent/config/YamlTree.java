package io.steward.agent.config;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads YAML into nested maps and lists, as Patroni's YAML loader does (a key given twice keeps
 * its last value), but says so: every duplicate is a warning with its line. Scalars keep YAML's
 * types (booleans, integers, floats, strings, null).
 */
public final class YamlTree {

    private YamlTree() {
    }

    /** Parses a file; syntax errors become one error with the line and column. */
    public static Map<String, Object> read(Path file, ConfigProblems problems) {
        try {
            return read(Files.readString(file, StandardCharsets.UTF_8), file.toString(), problems);
        } catch (IOException e) {
            problems.error(file.toString(), "cannot read: " + e.getMessage());
            return new LinkedHashMap<>();
        }
    }

    /** Parses text; {@code origin} names it in messages. */
    public static Map<String, Object> read(String text, String origin, ConfigProblems problems) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(true);
        Node root;
        try (Reader reader = new StringReader(text)) {
            root = new Yaml(options).compose(reader);
        } catch (MarkedYAMLException e) {
            var mark = e.getProblemMark();
            problems.error(origin, "not valid YAML at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1)
                    + ": " + e.getProblem());
            return new LinkedHashMap<>();
        } catch (YAMLException | IOException e) {
            problems.error(origin, "not valid YAML: " + e.getMessage());
            return new LinkedHashMap<>();
        }
        if (root == null) {
            return new LinkedHashMap<>();
        }
        if (!(root instanceof MappingNode mapping)) {
            problems.error(origin, "must be a mapping of keys to values at the top level");
            return new LinkedHashMap<>();
        }
        return mapping(mapping, "", problems);
    }

    private static Map<String, Object> mapping(MappingNode node, String path, ConfigProblems problems) {
        Map<String, Object> map = new LinkedHashMap<>();
        Map<String, Integer> firstLine = new LinkedHashMap<>();
        for (NodeTuple tuple : node.getValue()) {
            String key = scalarText(tuple.getKeyNode());
            String keyPath = path.isEmpty() ? key : path + "." + key;
            int line = tuple.getKeyNode().getStartMark().getLine() + 1;
            if (firstLine.containsKey(key)) {
                problems.warning(keyPath, "given twice (lines " + firstLine.get(key) + " and " + line
                        + "); the one at line " + line + " is used");
            }
            firstLine.put(key, line);
            map.remove(key);
            map.put(key, value(tuple.getValueNode(), keyPath, problems));
        }
        return map;
    }

    private static Object value(Node node, String path, ConfigProblems problems) {
        return switch (node) {
            case MappingNode mapping -> mapping(mapping, path, problems);
            case SequenceNode sequence -> {
                List<Object> items = new ArrayList<>();
                for (Node item : sequence.getValue()) {
                    items.add(value(item, path, problems));
                }
                yield items;
            }
            case ScalarNode scalar -> scalar(scalar);
            default -> null;
        };
    }

    private static Object scalar(ScalarNode node) {
        Tag tag = node.getTag();
        String text = node.getValue();
        if (Tag.NULL.equals(tag)) {
            return null;
        }
        if (Tag.BOOL.equals(tag)) {
            return Boolean.parseBoolean(text) || "yes".equalsIgnoreCase(text) || "on".equalsIgnoreCase(text);
        }
        if (Tag.INT.equals(tag)) {
            try {
                return Long.decode(text.replace("_", ""));
            } catch (NumberFormatException e) {
                return text;
            }
        }
        if (Tag.FLOAT.equals(tag)) {
            try {
                return Double.parseDouble(text.replace("_", ""));
            } catch (NumberFormatException e) {
                return text;
            }
        }
        return text;
    }

    private static String scalarText(Node node) {
        return node instanceof ScalarNode scalar ? scalar.getValue() : String.valueOf(node);
    }
}
