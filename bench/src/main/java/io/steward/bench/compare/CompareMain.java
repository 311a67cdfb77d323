package io.steward.bench.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.steward.testkit.Testbed;

/**
 * Steward and Patroni side by side on this machine, in one run, with the same workload: host
 * loss, switchover, lost writes, rejoin, synchronous gap, stalled replication and footprint, for
 * each profile (both managers' defaults, then both managers' fastest safe settings).
 *
 * <pre>
 * bash scripts/bench-compare.sh [--runs N] [--profiles defaults,fast] [--footprint-seconds 60]
 *                               [--out bench/target/compare.json]
 * </pre>
 */
public final class CompareMain {

    private final int runs;
    private final List<Profile> profiles;
    private final Duration footprintWindow;
    private final Path out;

    private CompareMain(int runs, List<Profile> profiles, Duration footprintWindow, Path out) {
        this.runs = runs;
        this.profiles = profiles;
        this.footprintWindow = footprintWindow;
        this.out = out;
    }

    public static void main(String[] args) throws IOException {
        int runs = 5;
        List<Profile> profiles = List.of(Profile.DEFAULTS, Profile.FAST);
        Duration footprint = Duration.ofSeconds(60);
        Path out = Path.of("bench/target/compare.json");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--profiles" -> profiles = java.util.Arrays.stream(args[++i].split(",")).map(Profile::named).toList();
                case "--footprint-seconds" -> footprint = Duration.ofSeconds(Long.parseLong(args[++i]));
                case "--out" -> out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + " (--runs N, --profiles defaults,fast, --footprint-seconds S, --out FILE)");
            }
        }
        if (runs < 1) {
            throw new IllegalArgumentException("--runs must be at least 1");
        }
        new CompareMain(runs, profiles, footprint, out).run();
        System.exit(0);
    }

    private void run() throws IOException {
        List<Figures> all = new ArrayList<>();
        for (Profile profile : profiles) {
            Figures figures = new Figures(profile.name());
            measure(figures, (testbed, synchronous) -> new StewardGroup(testbed, profile, synchronous));
            measure(figures, (testbed, synchronous) -> new PatroniGroup(testbed, profile, synchronous));
            System.out.print(figures.table());
            all.add(figures);
            write(all);
        }
        System.out.println("\nAll profiles:");
        all.forEach(figures -> System.out.print(figures.table()));
        System.out.println("JSON: " + out.toAbsolutePath());
    }

    /** Every measurement against one manager: an asynchronous group, then a synchronous one. */
    private void measure(Figures figures, BiFunction<Testbed, Boolean, ManagedGroup> create) {
        for (boolean synchronous : List.of(false, true)) {
            Testbed testbed = new Testbed();
            try (ManagedGroup group = create.apply(testbed, synchronous)) {
                String manager = group.manager();
                String mode = synchronous ? "sync" : "async";
                progress(figures, manager, mode + " group started");
                group.awaitHealthy();
                if (!synchronous) {
                    Footprint.Usage usage = Footprint.measure(group.managerPids(), footprintWindow);
                    figures.add("manager resident memory, idle", "MiB", manager, usage.residentMiB());
                    figures.add("manager CPU, idle", "% of a core", manager, usage.cpuPercent());
                    if (group instanceof StewardGroup steward) {
                        Footprint.Usage decider = Footprint.measure(List.of(steward.deciderPid()), Duration.ofSeconds(10));
                        progress(figures, manager, String.format(java.util.Locale.ROOT,
                                "decider (one per installation, not per member): %.0f MiB, %.2f %% CPU",
                                decider.residentMiB(), decider.cpuPercent()));
                    }
                    for (int i = 0; i < runs; i++) {
                        figures.addSeconds("switchover: longest write gap", manager, Scenarios.switchover(group));
                        progress(figures, manager, "switchover " + (i + 1) + "/" + runs);
                    }
                }
                for (int i = 0; i < runs; i++) {
                    Scenarios.HostLoss loss = Scenarios.hostLoss(group, synchronous, false);
                    figures.addSeconds("host loss → first write, " + mode, manager, loss.firstWrite());
                    figures.add("acknowledged writes lost, " + mode, "rows", manager, loss.lost());
                    figures.addSeconds("rejoin: restarted → streaming, " + mode, manager, loss.rejoin());
                    if (synchronous) {
                        figures.addSeconds("promotion → synchronous standby again", manager, loss.synchronousGap());
                    }
                    progress(figures, manager, "host loss " + mode + " " + (i + 1) + "/" + runs + ": " + loss);
                }
                for (int i = 0; i < runs; i++) {
                    Scenarios.HostLoss loss = Scenarios.hostLoss(group, synchronous, true);
                    figures.add("lost after 1 s of stalled replication, " + mode, "rows", manager, loss.lost());
                    figures.addSeconds("host loss → first write, stalled, " + mode, manager, loss.firstWrite());
                    progress(figures, manager, "stalled host loss " + mode + " " + (i + 1) + "/" + runs + ": " + loss);
                }
            } finally {
                testbed.afterAll(null);
            }
        }
    }

    private static void progress(Figures figures, String manager, String what) {
        System.out.printf("[%s %s %s] %s%n", Instant.now(), figures.profile(), manager, what);
    }

    private void write(List<Figures> all) throws IOException {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("when", Instant.now().toString());
        report.put("runs", runs);
        report.put("machine", Map.of("cores", Runtime.getRuntime().availableProcessors()));
        List<Map<String, Object>> profiles = new ArrayList<>();
        for (Figures figures : all) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Figures.Row row : figures.rows()) {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("measurement", row.what());
                json.put("unit", row.unit());
                json.put("steward", row.steward());
                json.put("patroni", row.patroni());
                json.put("steward_median", row.stewardMedian());
                json.put("patroni_median", row.patroniMedian());
                rows.add(json);
            }
            profiles.add(Map.of("profile", figures.profile(), "rows", rows));
        }
        report.put("profiles", profiles);
        Files.createDirectories(out.toAbsolutePath().getParent());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), report);
    }
}
