package io.steward.bench.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.steward.audit.log.LogStore;
import io.steward.audit.view.ConfigHistory;
import io.steward.audit.view.FailoverStories;
import io.steward.audit.view.Fleet;
import io.steward.audit.view.LagSeries;
import io.steward.audit.view.Timeline;
import io.steward.core.command.Command;
import io.steward.core.command.CommandHeader;
import io.steward.core.config.ConfigTree;
import io.steward.core.event.AgentEvent.ClusterInitialized;
import io.steward.core.event.AgentEvent.CommandOutcome;
import io.steward.core.event.AgentEvent.MemberObserved;
import io.steward.core.event.AgentEvent.MemberRegistered;
import io.steward.core.event.AgentEvent.MemberStateChanged;
import io.steward.core.event.AgentEvent.Outcome;
import io.steward.core.event.AgentEvent.StateChange;
import io.steward.core.event.DeciderEvent.CommandIssued;
import io.steward.core.event.DeciderEvent.ConfigurationChanged;
import io.steward.core.event.DeciderEvent.DeciderElected;
import io.steward.core.event.DeciderEvent.FailoverCompleted;
import io.steward.core.event.DeciderEvent.FailoverDecided;
import io.steward.core.event.DeciderEvent.FailoverKind;
import io.steward.core.event.DeciderEvent.LeaderLeaseChanged;
import io.steward.core.event.DeciderEvent.MemberDeclaredFailed;
import io.steward.core.event.DeciderEvent.Tick;
import io.steward.core.event.Event;
import io.steward.core.event.LogRecord;
import io.steward.core.model.Endpoints;
import io.steward.core.model.GroupId;
import io.steward.core.model.Lsn;
import io.steward.core.model.Observation;
import io.steward.core.model.PgState;
import io.steward.core.model.Role;
import io.steward.core.model.Tags;

/**
 * The audit UI's pages over a log of a million records: 20 groups of three members (five Citus
 * scopes of four groups) heartbeating every second over three partitions, a failover every ten
 * minutes, a configuration change every half hour. Prints how long each page's answer takes to
 * compute and to write as JSON (the work behind each HTTP request), and the cost of replaying a
 * scope to an instant in the first, middle and last part of the log.
 *
 * <pre>bash scripts/bench-audit.sh [records]</pre>
 */
public final class AuditBenchmark {

    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
    private static final int GROUPS = 20;
    private static final int PARTITIONS = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LogStore store = new LogStore();
    private final long[] offsets = new long[PARTITIONS];
    private final String[] leaders = new String[GROUPS];
    private final long[] positions = new long[GROUPS];
    private long millis;
    private int commands;

    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        AuditBenchmark bench = new AuditBenchmark();
        long start = System.nanoTime();
        bench.generate(records);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.gc();
        long used = (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20;
        System.out.printf(Locale.ROOT, "log: %,d records over %.1f h of log time, %d changes of leader; stored and folded "
                        + "in %.1f s (%,.0f records/s); heap in use %,d MiB%n", bench.store.size(),
                (bench.millis / 3_600_000.0), bench.store.leaderChanges().length, seconds, bench.store.size() / seconds,
                used);
        bench.measure();
    }

    private void generate(int records) {
        append(0, new DeciderElected(1, "decider-a"));
        for (int g = 0; g < GROUPS; g++) {
            GroupId group = group(g);
            for (int m = 0; m < 3; m++) {
                append(g, new MemberRegistered(group, member(g, m), "inc-" + member(g, m),
                        new Endpoints("http://10.0.0." + g + ":8008", "10.0." + g + "." + m, 5432), Tags.NONE,
                        "steward 0.1.0", 7000000000000000001L));
            }
            leaders[g] = member(g, 0);
            positions[g] = 0x5000000L;
            append(g, new ClusterInitialized(group, leaders[g], 7000000000000000001L, ConfigTree.of(Map.of("ttl", 30))));
            append(g, new LeaderLeaseChanged(1, group, leaders[g], g + 1, "acquired"));
        }
        int second = 0;
        while (store.size() < records) {
            millis = second * 1000L;
            for (int p = 0; p < PARTITIONS; p++) {
                append(p, new Tick(1));
            }
            for (int g = 0; g < GROUPS; g++) {
                positions[g] += 4096 + (second % 7) * 512;
                for (int m = 0; m < 3; m++) {
                    String name = member(g, m);
                    boolean leader = name.equals(leaders[g]);
                    long lag = leader ? 0 : (second % 60 == 0 ? 3 << 20 : 8192);
                    append(g, new MemberObserved(group(g), name, "inc-" + name, second, observation(leader,
                            positions[g] - lag, leaders[g]), Tags.NONE, new Endpoints("http://x:8008", "10.0." + g
                            + "." + m, 5432)));
                }
            }
            if (second % 600 == 300) {
                failover((second / 600) % GROUPS);
            }
            if (second % 1800 == 900) {
                int g = (second / 1800) % GROUPS;
                append(g, new ConfigurationChanged(1, group(g), second, ConfigTree.of(Map.of("loop_wait", second % 10 + 1)),
                        ConfigTree.of(Map.of("ttl", 30, "loop_wait", second % 10 + 1)), "alice", "req-" + second));
            }
            second++;
        }
    }

    private void failover(int g) {
        GroupId group = group(g);
        String old = leaders[g];
        String next = member(g, (Integer.parseInt(old.substring(old.lastIndexOf('-') + 1)) + 1) % 3);
        append(g, new MemberDeclaredFailed(1, group, old, old + " silent for 4.0 s"));
        millis += 400;
        append(g, new LeaderLeaseChanged(1, group, null, 1000 + commands, "expired"));
        append(g, new FailoverDecided(1, group, old, next, FailoverKind.AUTOMATIC, null, "promoting " + next
                + ": the leader lease of " + old + " is gone; " + next + " has the most advanced position", List.of()));
        String id = "cmd-" + (++commands);
        append(g, new CommandIssued(1, new Command.Promote(new CommandHeader(id, 1, group, next),
                null), "promote " + next));
        millis += 300;
        append(g, new MemberStateChanged(group, next, "inc-" + next, StateChange.PROMOTED, Role.PRIMARY, PgState.RUNNING,
                2, new Lsn(positions[g]), "promoted"));
        append(g, new CommandOutcome(group, next, id, 1, Outcome.ACKNOWLEDGED, "promoted", new Lsn(positions[g])));
        append(g, new FailoverCompleted(1, group, old, next, 2, null, next + " is the primary"));
        leaders[g] = next;
    }

    private static Observation observation(boolean primary, long position, String leader) {
        Lsn lsn = new Lsn(position);
        return primary
                ? new Observation(Role.PRIMARY, PgState.RUNNING, 1, lsn, lsn, null, null, null, null, false, Map.of(),
                List.of(), 7000000000000000001L, "", T0, 1, null, null)
                : new Observation(Role.REPLICA, PgState.RUNNING, 1, null, null, lsn, lsn, "streaming", leader, false,
                Map.of(), List.of(), 7000000000000000001L, null, T0, 1, null, null);
    }

    private void append(int groupIndex, Event event) {
        int partition = groupIndex % PARTITIONS;
        store.append(new LogRecord(partition, offsets[partition]++, T0.plusMillis(millis), event), OptionalLong.empty());
    }

    private static GroupId group(int g) {
        return new GroupId("citus-" + (g / 4), g % 4);
    }

    private static String member(int g, int m) {
        return "c" + (g / 4) + "-g" + (g % 4) + "-" + m;
    }

    private void measure() throws Exception {
        Instant last = T0.plusMillis(millis);
        int[] changes = store.leaderChanges();
        List<Row> rows = new ArrayList<>();
        rows.add(time("fleet (every scope and group, now)", () -> Fleet.of(store.state())));
        rows.add(time("topology of one scope, now", () -> Fleet.scope(store.state(), "citus-2")));
        rows.add(time("timeline, newest page (no heartbeats)", () -> new Timeline(null, null, null, Set.of(), null, null,
                null, 50).page(store)));
        rows.add(time("timeline, one member, heartbeats, oldest page", () -> new Timeline("citus-1", 2, "c1-g2-1",
                Set.of("MemberObserved"), null, null, 200, 50).page(store)));
        rows.add(time("timeline, decisions of one group in one hour", () -> new Timeline("citus-3", 1, null,
                Set.of("FailoverDecided", "CommandIssued", "LeaderLeaseChanged"), T0.plusSeconds(3600),
                T0.plusSeconds(7200), null, 50).page(store)));
        rows.add(time("failovers, list with durations", () -> FailoverStories.list(store)));
        rows.add(time("failover story (the middle one)", () -> FailoverStories.story(store, changes[changes.length / 2])));
        rows.add(time("configuration history", () -> ConfigHistory.of(store, null)));
        rows.add(time("lag chart of one group, last 15 min", () -> LagSeries.of(store, group(5), null, null)));
        for (double fraction : new double[] {0.1, 0.5, 0.9}) {
            Instant at = T0.plusMillis((long) (millis * fraction));
            rows.add(time(String.format(Locale.ROOT, "replay of a scope at %.0f %% of the log", fraction * 100),
                    () -> Fleet.scope(store.stateAt(at), "citus-2")));
        }
        System.out.printf(Locale.ROOT, "%-48s %10s %10s%n", "page (compute + JSON), 7 runs", "median ms", "max ms");
        for (Row row : rows) {
            System.out.printf(Locale.ROOT, "%-48s %10.1f %10.1f   %,d bytes%n", row.name, row.median, row.max, row.bytes);
        }
        System.out.println("log ends at " + last);
    }

    private record Row(String name, double median, double max, int bytes) {
    }

    private static Row time(String name, Supplier<Object> page) throws Exception {
        double[] runs = new double[7];
        int bytes = 0;
        for (int i = 0; i < runs.length; i++) {
            long start = System.nanoTime();
            bytes = JSON.writeValueAsBytes(page.get()).length;
            runs[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(runs);
        return new Row(name, runs[runs.length / 2], runs[runs.length - 1], bytes);
    }
}
