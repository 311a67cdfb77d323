package io.steward.ctl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * A table drawn as patronictl draws it (Python's PrettyTable): left-aligned unless a column is
 * named right-aligned, one space of padding, a title set into the top rule
 * ({@code + Cluster: demo ---+...}), and a rule between rows only when a cell spans several lines.
 */
final class Table {

    private final List<String> columns;
    private final Set<String> rightAligned;
    private final List<List<String>> rows = new ArrayList<>();

    Table(List<String> columns, Set<String> rightAligned) {
        this.columns = List.copyOf(columns);
        this.rightAligned = Set.copyOf(rightAligned);
    }

    Table add(List<?> row) {
        List<String> cells = new ArrayList<>(columns.size());
        for (int i = 0; i < columns.size(); i++) {
            Object cell = i < row.size() ? row.get(i) : null;
            cells.add(cell == null ? "" : String.valueOf(cell));
        }
        rows.add(cells);
        return this;
    }

    /** Tab-separated: the header line, then one line a row. */
    String tsv() {
        StringBuilder text = new StringBuilder(String.join("\t", columns)).append('\n');
        rows.forEach(row -> text.append(String.join("\t", row)).append('\n'));
        return text.toString();
    }

    /** The framed table; {@code title} (or null) is set into the top rule. */
    String pretty(String title) {
        int[] widths = new int[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            widths[i] = columns.get(i).length();
            for (List<String> row : rows) {
                for (String line : lines(row.get(i))) {
                    widths[i] = Math.max(widths[i], line.length());
                }
            }
        }
        String rule = rule(widths);
        boolean ruleBetweenRows = rows.stream().anyMatch(row -> row.stream().anyMatch(cell -> cell.contains("\n")));
        StringBuilder text = new StringBuilder(title == null ? rule : titled(rule, title)).append('\n');
        appendRow(text, columns, widths);
        text.append(rule).append('\n');
        for (List<String> row : rows) {
            appendRow(text, row, widths);
            if (ruleBetweenRows) {
                text.append(rule).append('\n');
            }
        }
        if (!ruleBetweenRows) {
            text.append(rule).append('\n');
        }
        return text.toString();
    }

    private void appendRow(StringBuilder text, List<String> cells, int[] widths) {
        List<String[]> split = cells.stream().map(Table::lines).toList();
        int height = split.stream().mapToInt(lines -> lines.length).max().orElse(1);
        for (int line = 0; line < height; line++) {
            text.append('|');
            for (int i = 0; i < widths.length; i++) {
                String[] lines = split.get(i);
                String value = line < lines.length ? lines[line] : "";
                String padding = " ".repeat(widths[i] - value.length());
                boolean right = rightAligned.contains(columns.get(i));
                text.append(' ').append(right ? padding + value : value + padding).append(" |");
            }
            text.append('\n');
        }
    }

    private static String[] lines(String cell) {
        return cell.isEmpty() ? new String[] {""} : cell.split("\n", -1);
    }

    private static String rule(int[] widths) {
        StringBuilder rule = new StringBuilder("+");
        Arrays.stream(widths).forEach(width -> rule.append("-".repeat(width + 2)).append('+'));
        return rule.toString();
    }

    /** Patroni's PatronictlPrettyTable: the title replaces the rule from its second character on. */
    private static String titled(String rule, String title) {
        String cut = title.length() > rule.length() - 2 ? title.substring(0, rule.length() - 2) : title;
        return rule.charAt(0) + cut + rule.substring(1 + cut.length());
    }
}
