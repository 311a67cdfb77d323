package io.steward.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.steward.core.config.ConfigTree;
import io.steward.core.decide.Decider;
import io.steward.core.decide.Decision;
import io.steward.core.decide.DecisionPolicy;
import io.steward.core.event.AgentEvent.ClusterInitialized;
import io.steward.core.event.AgentEvent.MemberObserved;
import io.steward.core.event.AgentEvent.MemberRegistered;
import io.steward.core.event.DeciderEvent.DeciderElected;
import io.steward.core.event.DeciderEvent.LeaderLeaseChanged;
import io.steward.core.event.Event;
import io.steward.core.event.LogRecord;
import io.steward.core.fold.ClusterFold;
import io.steward.core.model.Endpoints;
import io.steward.core.model.GroupId;
import io.steward.core.model.Lsn;
import io.steward.core.model.Observation;
import io.steward.core.model.PgState;
import io.steward.core.model.ReplicationPeer;
import io.steward.core.model.Role;
import io.steward.core.model.Tags;
import io.steward.core.state.ClusterState;

/**
 * Folds and decides over a synthetic fleet: 10,000 members in 3,000 groups (1,000 of four members,
 * 2,000 of three) spread over 12 log partitions, on one thread.
 *
 * <p>Prints how many events the fold applies per second (heartbeats, as the fleet produces them)
 * and the latency of one {@code decide} call for a group, as percentiles, both in the steady state
 * and for groups whose leader was just lost (a failover decision with candidate evidence).
 *
 * <pre>bash scripts/bench-core.sh [heartbeats]</pre>
 */
public final class CoreBenchmark {

    private static final int GROUPS = 3_000;
    private static final int PARTITIONS = 12;
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Tags TAGS = Tags.NONE;

    private final List<GroupId> groups = new ArrayList<>();
    private final List<String[]> members = new ArrayList<>();
    private final long[] offsets = new long[PARTITIONS];
    private ClusterState state = ClusterState.EMPTY;
    /** Log time in microseconds: the fleet sends 10,000 heartbeats a second, one every 100 µs. */
    private long micros;

    public static void main(String[] args) {
        int heartbeats = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
        CoreBenchmark benchmark = new CoreBenchmark();
        benchmark.setUp();
        System.out.printf(Locale.ROOT, "fleet: %d members in %d groups, %d partitions%n",
                benchmark.memberCount(), GROUPS, PARTITIONS);
        benchmark.fold(heartbeats / 4); // warm-up
        double perSecond = benchmark.fold(heartbeats);
        System.out.printf(Locale.ROOT, "fold: %,.0f events/s (%,d heartbeats folded, one thread)%n", perSecond, heartbeats);
        benchmark.decideSteady(200_000);
        benchmark.decideSteady(200_000).print("decide, healthy group");
        benchmark.decideFailovers(30_000);
        benchmark.decideFailovers(30_000).print("decide, leader lost (failover with evidence)");
    }

    private int memberCount() {
        return members.stream().mapToInt(m -> m.length).sum();
    }

    private void setUp() {
        append(-1, new DeciderElected(1, "bench"));
        for (int g = 0; g < GROUPS; g++) {
            GroupId id = new GroupId("fleet", g);
            int size = g < 1_000 ? 4 : 3;
            String[] names = new String[size];
            for (int m = 0; m < size; m++) {
                names[m] = "g" + g + "m" + m;
            }
            groups.add(id);
            members.add(names);
            int partition = partitionOf(id);
            for (String name : names) {
                append(partition, new MemberRegistered(id, name, "inc", endpoints(name), TAGS, "bench", 42L));
            }
            append(partition, new ClusterInitialized(id, names[0], 42L, ConfigTree.EMPTY));
            append(partition, new LeaderLeaseChanged(1, id, names[0], 1, "acquired"));
        }
    }

    /** Folds {@code count} heartbeats round-robin over the fleet; returns events per second. */
    private double fold(int count) {
        List<LogRecord> records = new ArrayList<>(count);
        int total = memberCount();
        long[] sequences = new long[total];
        for (int i = 0; i < count; i++) {
            int g = i % GROUPS;
            String[] names = members.get(g);
            int m = (i / GROUPS) % names.length;
            GroupId id = groups.get(g);
            int partition = partitionOf(id);
            micros += 100;
            long lsn = 0x5000000L + i * 64L;
            Observation observation = m == 0 ? primary(lsn, names) : replica(lsn - 128, names[0]);
            records.add(new LogRecord(partition, offsets[partition]++, T0.plusNanos(micros * 1000),
                    new MemberObserved(id, names[m], "inc", ++sequences[(g * 4 + m) % total], observation, TAGS,
                            endpoints(names[m]))));
        }
        long start = System.nanoTime();
        ClusterState current = state;
        for (LogRecord record : records) {
            current = ClusterFold.apply(current, record);
        }
        long elapsed = System.nanoTime() - start;
        state = current;
        return count / (elapsed / 1e9);
    }

    private Latencies decideSteady(int calls) {
        long[] samples = new long[calls];
        Instant now = T0.plusNanos(micros * 1000);
        DecisionPolicy policy = DecisionPolicy.DEFAULT;
        int actions = 0;
        for (int i = 0; i < calls; i++) {
            GroupId id = groups.get(i % GROUPS);
            long start = System.nanoTime();
            Decision decision = Decider.decide(state, id, now, policy);
            samples[i] = System.nanoTime() - start;
            actions += decision.isEmpty() ? 0 : 1;
        }
        return new Latencies(samples, actions);
    }

    private Latencies decideFailovers(int calls) {
        ClusterState lost = state;
        Instant now = T0.plusNanos(micros * 1000 + 1_000_000);
        for (int g = 0; g < Math.min(calls, GROUPS); g++) {
            GroupId id = groups.get(g);
            lost = ClusterFold.apply(lost, new LogRecord(partitionOf(id), offsets[partitionOf(id)]++, now,
                    new LeaderLeaseChanged(1, id, null, 2, "expired")));
        }
        long[] samples = new long[calls];
        int actions = 0;
        for (int i = 0; i < calls; i++) {
            GroupId id = groups.get(i % GROUPS);
            long start = System.nanoTime();
            Decision decision = Decider.decide(lost, id, now, DecisionPolicy.DEFAULT);
            samples[i] = System.nanoTime() - start;
            actions += decision.isEmpty() ? 0 : 1;
        }
        return new Latencies(samples, actions);
    }

    private void append(int partition, Event event) {
        int[] targets = partition < 0 ? range(PARTITIONS) : new int[] {partition};
        for (int p : targets) {
            state = ClusterFold.apply(state, new LogRecord(p, offsets[p]++, T0.plusNanos(micros * 1000), event));
        }
    }

    private static int[] range(int n) {
        int[] result = new int[n];
        Arrays.setAll(result, i -> i);
        return result;
    }

    private static int partitionOf(GroupId id) {
        return Math.floorMod(id.key().hashCode(), PARTITIONS);
    }

    private static Endpoints endpoints(String member) {
        return new Endpoints("http://" + member + ":8008", member, 5432);
    }

    private static Observation primary(long lsn, String[] names) {
        List<ReplicationPeer> peers = new ArrayList<>();
        for (int i = 1; i < names.length; i++) {
            peers.add(new ReplicationPeer(names[i], "streaming", "async", new Lsn(lsn - 128), new Lsn(lsn - 128)));
        }
        return new Observation(Role.PRIMARY, PgState.RUNNING, 1, new Lsn(lsn), new Lsn(lsn), null, null, null, null,
                false, Map.of(), peers, 42L, "", T0, 1, null, null);
    }

    private static Observation replica(long lsn, String upstream) {
        return new Observation(Role.REPLICA, PgState.RUNNING, 1, null, null, new Lsn(lsn), new Lsn(lsn), "streaming",
                upstream, false, Map.of(), List.of(), 42L, null, T0, 1, null, null);
    }

    /** Latency samples of decide calls. */
    private record Latencies(long[] nanos, int actions) {
        void print(String title) {
            long[] sorted = nanos.clone();
            Arrays.sort(sorted);
            System.out.printf(Locale.ROOT, "%s: %,d calls (%,d with an action); p50 %.1f µs, p99 %.1f µs, "
                            + "p99.9 %.1f µs, max %.1f µs%n", title, sorted.length, actions, at(sorted, 0.50),
                    at(sorted, 0.99), at(sorted, 0.999), sorted[sorted.length - 1] / 1000.0);
        }

        private static double at(long[] sorted, double quantile) {
            return sorted[Math.min(sorted.length - 1, (int) (quantile * sorted.length))] / 1000.0;
        }
    }
}
