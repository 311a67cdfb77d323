package io.steward.ctl;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** patronictl's {@code -f/--format}: a framed table, tab-separated values, or the rows as JSON or YAML. */
enum Format {
    PRETTY, TSV, JSON, YAML;

    /** Reads {@code pretty}, {@code tsv}, {@code json}, {@code yaml} (or {@code yml}), in any case. */
    static final class Converter implements ITypeConverter<Format> {
        @Override
        public Format convert(String value) {
            String name = value.toLowerCase(Locale.ROOT);
            return switch (name) {
                case "pretty" -> PRETTY;
                case "tsv" -> TSV;
                case "json" -> JSON;
                case "yaml", "yml" -> YAML;
                default -> throw new TypeConversionException("expected pretty, tsv, json or yaml, got '" + value + "'");
            };
        }
    }

    boolean isTable() {
        return this == PRETTY || this == TSV;
    }

    /**
     * Prints rows as patronictl's {@code print_output} does. In JSON and YAML each row is an object
     * keyed by column; with {@code dropEmpty} empty cells are left out of it (as {@code list} does).
     */
    void print(PrintWriter out, List<String> columns, List<List<Object>> rows, Set<String> rightAligned, String title,
               boolean dropEmpty) {
        switch (this) {
            case PRETTY, TSV -> {
                Table table = new Table(columns, rightAligned);
                rows.forEach(table::add);
                out.print(this == PRETTY ? table.pretty(title) : table.tsv());
            }
            case JSON -> out.println(Json.oneLine(objects(columns, rows, dropEmpty)));
            case YAML -> out.print(Json.yaml(objects(columns, rows, dropEmpty)));
        }
        out.flush();
    }

    private static List<Map<String, Object>> objects(List<String> columns, List<List<Object>> rows, boolean dropEmpty) {
        return rows.stream().map(row -> {
            Map<String, Object> object = new LinkedHashMap<>();
            for (int i = 0; i < columns.size(); i++) {
                Object value = i < row.size() ? row.get(i) : null;
                if (!dropEmpty || (value != null && !String.valueOf(value).isEmpty())) {
                    object.put(columns.get(i), value == null ? "" : value);
                }
            }
            return object;
        }).toList();
    }
}
