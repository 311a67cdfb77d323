package io.steward.bench.compare;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The figures of one profile: for each measurement, Steward's and Patroni's samples; printed as a
 * table with median, min, max and the ratio of the medians, and kept for the JSON report.
 */
final class Figures {

    /** One row: what was measured, in which unit, and each manager's samples. */
    record Row(String what, String unit, List<Double> steward, List<Double> patroni) {
        double stewardMedian() {
            return median(steward);
        }

        double patroniMedian() {
            return median(patroni);
        }
    }

    private final String profile;
    private final Map<String, Row> rows = new LinkedHashMap<>();

    Figures(String profile) {
        this.profile = profile;
    }

    String profile() {
        return profile;
    }

    List<Row> rows() {
        return List.copyOf(rows.values());
    }

    void add(String what, String unit, String manager, double value) {
        Row row = rows.computeIfAbsent(what, key -> new Row(what, unit, new ArrayList<>(), new ArrayList<>()));
        (manager.equals("Steward") ? row.steward() : row.patroni()).add(value);
    }

    void addSeconds(String what, String manager, Duration duration) {
        add(what, "s", manager, duration.toMillis() / 1000.0);
    }

    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    String table() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%nProfile: %s%n", profile));
        String header = String.format(Locale.ROOT, "| %-52s | %-26s | %-26s | %-9s |", "measurement",
                "Steward median (min-max)", "Patroni median (min-max)", "S / P");
        String rule = "+" + "-".repeat(header.length() - 2) + "+";
        out.append(rule).append('\n').append(header).append('\n').append(rule).append('\n');
        for (Row row : rows.values()) {
            double ratio = row.stewardMedian() / row.patroniMedian();
            out.append(String.format(Locale.ROOT, "| %-52s | %-26s | %-26s | %-9s |%n", row.what() + " (" + row.unit() + ")",
                    summary(row.steward()), summary(row.patroni()),
                    Double.isFinite(ratio) ? String.format(Locale.ROOT, "%.2f", ratio) : "-"));
        }
        return out.append(rule).append('\n').toString();
    }

    private static String summary(List<Double> values) {
        if (values.isEmpty()) {
            return "-";
        }
        double min = values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double max = values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        return String.format(Locale.ROOT, "%.2f (%.2f-%.2f)", median(values), min, max);
    }
}
