package io.steward.bench.citus;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import io.steward.citus.config.CitusSyncConfig;
import io.steward.citus.sync.CitusSync;
import io.steward.core.command.Command;
import io.steward.core.event.AgentEvent.MemberStateChanged;
import io.steward.core.event.AgentEvent.StateChange;
import io.steward.core.event.CitusEvent.CitusGroupPaused;
import io.steward.core.event.CitusEvent.CitusTopologyApplied;
import io.steward.core.event.DeciderEvent.CommandIssued;
import io.steward.core.event.LogRecord;
import io.steward.testkit.Await;
import io.steward.testkit.Testbed;
import io.steward.testkit.agent.AgentNode;
import io.steward.testkit.citus.CitusStandIn;
import io.steward.testkit.citus.CoordinatorClient;
import io.steward.testkit.cluster.TestCluster;
import io.steward.testkit.postgres.Sql;

/**
 * The Citus field guide's topology (a coordinator group and a worker group, three members each,
 * on loopback, with the decider and citus-sync), while a client inserts through the coordinator
 * every 10 ms:
 * <ul>
 *   <li>worker switchovers: the longest client statement, the statements that failed, how long
 *       citus-sync held the group paused, and where that time went, read from the log;</li>
 *   <li>restarts of the worker primary: the longest statement and the failed ones;</li>
 *   <li>worker failovers (the primary's host killed): the time from the promotion to pg_dist_node's
 *       update, and the failed statements, before and after citus-sync paused the group.</li>
 * </ul>
 * Then a summary. A benchmark: it asserts nothing.
 *
 * <pre>bash scripts/bench-citus.sh [--switchovers N] [--restarts N] [--failovers N]</pre>
 */
public final class CitusSwitchoverBenchmark {

    private static final List<String> COORDINATORS = List.of("c1", "c2", "c3");
    private static final List<String> WORKERS = List.of("w1", "w2", "w3");
    private static final Duration SETTLE = Duration.ofSeconds(1);

    private final TestCluster cluster;
    private final CitusStandIn.Flavor flavor;

    private CitusSwitchoverBenchmark(TestCluster cluster, CitusStandIn.Flavor flavor) {
        this.cluster = cluster;
        this.flavor = flavor;
    }

    public static void main(String[] args) throws Exception {
        int switchovers = 10;
        int restarts = 3;
        int failovers = 3;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--switchovers" -> switchovers = Integer.parseInt(args[++i]);
                case "--restarts" -> restarts = Integer.parseInt(args[++i]);
                case "--failovers" -> failovers = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + " (--switchovers N, --restarts N, --failovers N)");
            }
        }
        CitusStandIn.Flavor flavor = CitusStandIn.ensureInstalled();
        Testbed testbed = new Testbed();
        try {
            TestCluster cluster = new TestCluster(testbed);
            new CitusSwitchoverBenchmark(cluster, flavor).run(switchovers, restarts, failovers);
        } finally {
            testbed.afterAll(null);
        }
        System.exit(0);
    }

    private void run(int switchovers, int restarts, int failovers) throws Exception {
        System.out.println("[citus bench] against " + flavor + "; starting 2 groups of 3 members, a decider and citus-sync");
        cluster.decider("d1");
        COORDINATORS.forEach(name -> cluster.agent(name, agent -> agent.citusGroup(0)));
        WORKERS.forEach(name -> cluster.agent(name, agent -> agent.citusGroup(1)));
        AgentNode coordinator = cluster.awaitHealthy(COORDINATORS, 2);
        AgentNode worker = cluster.awaitHealthy(WORKERS, 2);
        CitusSync sync = new CitusSync(new CitusSyncConfig("citus-bench", "demo", "citus", 10_000,
                Duration.ofSeconds(30), cluster.kafka().bootstrapServers(), "steward.", Map.of(), null,
                new CitusSyncConfig.Login("postgres", AgentNode.SUPERUSER_PASSWORD, null)));
        Thread syncThread = new Thread(sync, "citus-sync");
        syncThread.start();
        try {
            Await.until("pg_dist_node to name " + worker.name() + " group 1's primary", TestCluster.TIMEOUT,
                    () -> primaryOf(coordinator).equals("127.0.0.1:" + worker.pgPort()));
            CoordinatorClient.distributeItems(flavor, citus(coordinator), citus(worker));
            List<Round> rounds = new ArrayList<>();
            try (CoordinatorClient client = CoordinatorClient.start(citus(coordinator))) {
                Thread.sleep(2_000);
                for (int i = 1; i <= switchovers; i++) {
                    Round round = switchover(client, coordinator);
                    rounds.add(round);
                    System.out.printf(Locale.ROOT, "[citus bench] switchover %d/%d %s%n", i, switchovers, round);
                }
                for (int i = 1; i <= restarts; i++) {
                    Round round = restart(client);
                    rounds.add(round);
                    System.out.printf(Locale.ROOT, "[citus bench] restart %d/%d %s%n", i, restarts, round);
                }
                List<Failover> lost = new ArrayList<>();
                for (int i = 1; i <= failovers; i++) {
                    Failover failover = failover(client, coordinator, sync);
                    lost.add(failover);
                    System.out.printf(Locale.ROOT, "[citus bench] failover %d/%d %s%n", i, failovers, failover);
                }
                client.close();
                AgentNode primary = cluster.awaitHealthy(WORKERS, 2);
                long missing = client.acknowledged().size() - client.acknowledged().stream()
                        .filter(CoordinatorClient.storedIds(flavor, citus(coordinator), citus(primary))::contains).count();
                summary(rounds, lost, client.acknowledged().size(), missing);
            }
        } finally {
            sync.close();
            syncThread.join(10_000);
        }
    }

    /** One switchover or restart: what the client saw, and (switchovers) where the pause went. */
    private record Round(String what, long longestMillis, long failed, int statements, Long pausedMillis,
                         String steps) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s: longest statement %d ms, %d of %d failed%s%s", what, longestMillis,
                    failed, statements, pausedMillis == null ? "" : "; group paused " + pausedMillis + " ms",
                    steps.isEmpty() ? "" : " (" + steps + ")");
        }
    }

    /** One worker failover: promotion → pg_dist_node, and the statements that failed, by phase. */
    private record Failover(String what, long promotionToUpdateMillis, long failed, long failedAfterDeclared,
                            long failedAfterPaused, long declaredToPausedMillis) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s: promotion → pg_dist_node %d ms; %d statements failed, %d after the "
                            + "failure was declared, %d after the group was paused (%d ms after the declaration)", what,
                    promotionToUpdateMillis, failed, failedAfterDeclared, failedAfterPaused, declaredToPausedMillis);
        }
    }

    private Failover failover(CoordinatorClient client, AgentNode coordinator, CitusSync sync) throws Exception {
        AgentNode old = cluster.awaitHealthy(WORKERS, 2);
        int mark = cluster.log().mark();
        long start = System.currentTimeMillis();
        cluster.killHost(old);
        List<String> rest = WORKERS.stream().filter(name -> !name.equals(old.name())).toList();
        AgentNode now = cluster.awaitHealthy(rest, 1);
        int port = now.pgPort();
        LogRecord applied = cluster.log().awaitRecord("citus-sync's update for " + now.name(),
                CitusTopologyApplied.class, event -> namesPrimary(event, port), mark, TestCluster.TIMEOUT);
        LogRecord promoted = cluster.log().awaitRecord(now.name() + "'s promotion", MemberStateChanged.class,
                changed -> changed.member().equals(now.name()) && changed.change() == StateChange.PROMOTED, mark,
                TestCluster.TIMEOUT);
        Thread.sleep(SETTLE.toMillis());
        List<LogRecord> log = cluster.log().records();
        log = log.subList(mark, log.size());
        long declared = first(log, e -> e instanceof io.steward.core.event.DeciderEvent.MemberDeclaredFailed failed
                && failed.member().equals(old.name()) || e instanceof io.steward.core.event.DeciderEvent.FailoverDecided)
                .map(record -> record.timestamp().toEpochMilli()).orElse(start);
        long paused = sync.lastPauseOf(1).map(java.time.Instant::toEpochMilli).filter(at -> at >= start).orElse(declared);
        List<CoordinatorClient.Statement> seen = client.between(start, System.currentTimeMillis());
        Failover failover = new Failover(old.name() + " → " + now.name(),
                applied.timestamp().toEpochMilli() - promoted.timestamp().toEpochMilli(), failed(seen),
                seen.stream().filter(s -> s.failed() && s.startMillis() >= declared).count(),
                seen.stream().filter(s -> s.failed() && s.startMillis() >= paused).count(), paused - declared);
        old.start(); // it rejoins as a replica, and is registered as a secondary again
        cluster.awaitHealthy(WORKERS, 2);
        Await.until(old.name() + " registered as a secondary", TestCluster.TIMEOUT, () -> "1".equals(citus(coordinator)
                .queryValue("SELECT count(*) FROM pg_dist_node WHERE groupid = 1 AND noderole = 'secondary' "
                        + "AND nodeport = " + old.pgPort())));
        return failover;
    }

    /** Whether citus-sync's update made the row of {@code port} group 1's primary (a citus_update_node to it). */
    private static boolean namesPrimary(CitusTopologyApplied event, int port) {
        return event.calls().stream().anyMatch(call -> call.startsWith("citus_update_node(")
                && call.contains("', " + port + ","));
    }

    private Round switchover(CoordinatorClient client, AgentNode coordinator) throws Exception {
        AgentNode from = cluster.awaitHealthy(WORKERS, 2);
        String to = WORKERS.get((WORKERS.indexOf(from.name()) + 1) % WORKERS.size());
        int toPort = cluster.member(to).pgPort();
        int mark = cluster.log().mark();
        long start = System.currentTimeMillis();
        post(from.restUrl() + "/switchover", "{\"leader\": \"" + from.name() + "\", \"candidate\": \"" + to + "\"}");
        LogRecord applied = cluster.log().awaitRecord("citus-sync's update for " + to, CitusTopologyApplied.class,
                event -> namesPrimary(event, toPort), mark, TestCluster.TIMEOUT);
        Await.until("pg_dist_node to name " + to, TestCluster.TIMEOUT,
                () -> primaryOf(coordinator).equals("127.0.0.1:" + toPort));
        Thread.sleep(SETTLE.toMillis());
        List<CoordinatorClient.Statement> seen = client.between(start, System.currentTimeMillis());
        List<LogRecord> log = cluster.log().records();
        log = log.subList(mark, log.size());
        return new Round(from.name() + " → " + to, longest(seen), failed(seen), seen.size(),
                ((CitusTopologyApplied) applied.event()).millis(), steps(log, from.name(), to, applied));
    }

    private Round restart(CoordinatorClient client) throws Exception {
        AgentNode primary = cluster.awaitHealthy(WORKERS, 2);
        long startedBefore = postmasterStart(primary);
        long start = System.currentTimeMillis();
        post(primary.restUrl() + "/restart", "{}");
        Await.until(primary.name() + " to run again", TestCluster.TIMEOUT, () -> postmasterStart(primary) != startedBefore);
        cluster.awaitHealthy(WORKERS, 2);
        Thread.sleep(SETTLE.toMillis());
        List<CoordinatorClient.Statement> seen = client.between(start, System.currentTimeMillis());
        return new Round("restart of " + primary.name(), longest(seen), failed(seen), seen.size(), null, "");
    }

    /**
     * Where a switchover's pause went, from the log's times: the pause taken (citus-sync's report),
     * the demote command, the demotion's report, the promote command, the promotion's report,
     * citus-sync's update.
     */
    private static String steps(List<LogRecord> log, String from, String to, LogRecord applied) {
        List<Optional<LogRecord>> marks = List.of(
                first(log, e -> e instanceof CitusGroupPaused),
                first(log, e -> e instanceof CommandIssued issued && issued.command() instanceof Command.Demote demote
                        && demote.header().member().equals(from)),
                first(log, e -> e instanceof MemberStateChanged changed && changed.member().equals(from)
                        && changed.change() == StateChange.DEMOTED),
                first(log, e -> e instanceof CommandIssued issued && issued.command() instanceof Command.Promote promote
                        && promote.header().member().equals(to)),
                first(log, e -> e instanceof MemberStateChanged changed && changed.member().equals(to)
                        && changed.change() == StateChange.PROMOTED),
                Optional.of(applied));
        List<String> names = List.of("paused", "demote command", "DEMOTED", "promote command", "PROMOTED",
                "pg_dist_node");
        StringBuilder steps = new StringBuilder();
        LogRecord previous = null;
        for (int i = 0; i < marks.size(); i++) {
            if (marks.get(i).isEmpty()) {
                steps.append(steps.isEmpty() ? "" : ", ").append(names.get(i)).append(" ?");
                continue;
            }
            LogRecord record = marks.get(i).get();
            if (previous != null) {
                steps.append(steps.isEmpty() ? "" : ", ").append("→ ").append(names.get(i)).append(' ')
                        .append(record.timestamp().toEpochMilli() - previous.timestamp().toEpochMilli()).append(" ms");
            }
            previous = record;
        }
        return steps.toString();
    }

    private static Optional<LogRecord> first(List<LogRecord> log, Predicate<Object> matches) {
        return log.stream().filter(record -> matches.test(record.event())).findFirst();
    }

    private static void summary(List<Round> rounds, List<Failover> failovers, int acknowledged, long missing) {
        System.out.println();
        System.out.println("[citus bench] summary (median, min–max)");
        summarize("worker switchover", rounds.stream().filter(round -> round.pausedMillis() != null).toList());
        summarize("restart of the worker primary", rounds.stream().filter(round -> round.pausedMillis() == null).toList());
        if (!failovers.isEmpty()) {
            System.out.printf(Locale.ROOT, "  worker failover × %d: promotion → pg_dist_node %s ms; failed statements per "
                            + "failover %s, after the failure was declared %s, after the group was paused %s%n",
                    failovers.size(), spread(failovers.stream().map(Failover::promotionToUpdateMillis).toList()),
                    spread(failovers.stream().map(Failover::failed).toList()),
                    spread(failovers.stream().map(Failover::failedAfterDeclared).toList()),
                    spread(failovers.stream().map(Failover::failedAfterPaused).toList()));
        }
        System.out.printf(Locale.ROOT, "  rows acknowledged through the coordinator: %d, missing at the end: %d%n",
                acknowledged, missing);
    }

    private static void summarize(String what, List<Round> rounds) {
        if (rounds.isEmpty()) {
            return;
        }
        System.out.printf(Locale.ROOT, "  %s × %d: longest statement %s ms; failed statements %d of %d%s%n", what,
                rounds.size(), spread(rounds.stream().map(Round::longestMillis).toList()),
                rounds.stream().mapToLong(Round::failed).sum(), rounds.stream().mapToInt(Round::statements).sum(),
                rounds.get(0).pausedMillis() == null ? ""
                        : "; group paused " + spread(rounds.stream().map(Round::pausedMillis).toList()) + " ms");
    }

    private static String spread(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2) + " (" + sorted.get(0) + "–" + sorted.get(sorted.size() - 1) + ")";
    }

    private static long longest(List<CoordinatorClient.Statement> statements) {
        return statements.stream().mapToLong(CoordinatorClient.Statement::millis).max().orElse(0);
    }

    private static long failed(List<CoordinatorClient.Statement> statements) {
        return statements.stream().filter(CoordinatorClient.Statement::failed).count();
    }

    private static String primaryOf(AgentNode coordinator) {
        try {
            return citus(coordinator).queryValue("SELECT nodename || ':' || nodeport FROM pg_dist_node "
                    + "WHERE groupid = 1 AND noderole = 'primary'");
        } catch (RuntimeException e) {
            return "";
        }
    }

    private static long postmasterStart(AgentNode member) {
        try {
            return Long.parseLong(member.sql().queryValue(
                    "SELECT (extract(epoch FROM pg_postmaster_start_time()) * 1000)::bigint"));
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private static Sql citus(AgentNode member) {
        return Sql.of("127.0.0.1", member.pgPort(), "citus", "postgres", AgentNode.SUPERUSER_PASSWORD);
    }

    private static void post(String url, String json) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200 && response.statusCode() != 202) {
            throw new IllegalStateException("POST " + url + ": " + response.statusCode() + " " + response.body());
        }
    }
}
