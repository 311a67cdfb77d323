package io.steward.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.steward.ctl.CtlRunner.Result;

class ListCommandTest {

    @RegisterExtension
    final CtlFixture fixture = new CtlFixture();
    private final StubDecider decider = fixture.decider();
    private final CtlRunner ctl = fixture.ctl();

    @Test
    void printsPatronisTableWithTheScopeInTheTopRule() {
        decider.on("GET /v1/scopes/demo", 200, Fixtures.DEMO);

        Result result = ctl.run("", "list", "demo");

        assertThat(result.exit()).isZero();
        assertThat(result.out()).isEqualTo("""
                + Cluster: demo ---------+--------------+---------+----+-----------+
                | Member | Host          | Role         | State   | TL | Lag in MB |
                +--------+---------------+--------------+---------+----+-----------+
                | pg1    | 10.0.0.1:5432 | Leader       | running |  3 |           |
                | pg2    | 10.0.0.2:5432 | Sync Standby | running |  3 |         0 |
                | pg3    | 10.0.0.3:5433 | Replica      | running |  3 |         2 |
                +--------+---------------+--------------+---------+----+-----------+
                """);
        assertThat(decider.only("GET").header("X-Steward-Actor")).isEqualTo("stewardctl:alice@ops1");
    }

    @Test
    void tsvKeepsTheClusterColumnAndLeavesTheLeadersLagEmpty() {
        decider.on("GET /v1/scopes/demo", 200, Fixtures.DEMO);

        Result result = ctl.run("", "list", "demo", "-f", "tsv");

        assertThat(result.out().lines()).containsExactly(
                "Cluster\tMember\tHost\tRole\tState\tTL\tLag in MB",
                "demo\tpg1\t10.0.0.1:5432\tLeader\trunning\t3\t",
                "demo\tpg2\t10.0.0.2:5432\tSync Standby\trunning\t3\t0",
                "demo\tpg3\t10.0.0.3:5433\tReplica\trunning\t3\t2");
    }

    @Test
    void jsonPrintsOneObjectPerMemberWithoutEmptyCells() {
        decider.on("GET /v1/scopes/demo", 200, Fixtures.DEMO);

        Result result = ctl.run("", "list", "demo", "--format", "json");

        assertThat(result.out()).startsWith("[{\"Cluster\": \"demo\", \"Member\": \"pg1\", \"Host\": \"10.0.0.1:5432\", "
                + "\"Role\": \"Leader\", \"State\": \"running\", \"TL\": 3}, ");
        assertThat(result.out()).contains("{\"Cluster\": \"demo\", \"Member\": \"pg3\", \"Host\": \"10.0.0.3:5433\", "
                + "\"Role\": \"Replica\", \"State\": \"running\", \"TL\": 3, \"Lag in MB\": 2}]");
    }

    @Test
    void yamlPrintsTheSameRowsAsAList() {
        decider.on("GET /v1/scopes/demo", 200, Fixtures.DEMO);

        Result result = ctl.run("", "list", "demo", "-f", "yaml");

        assertThat(result.out()).startsWith("""
                - Cluster: demo
                  Member: pg1
                  Host: 10.0.0.1:5432
                  Role: Leader
                  State: running
                  TL: 3
                - Cluster: demo
                  Member: pg2
                """);
        assertThat(result.out()).contains("  Lag in MB: 2\n");
    }

    @Test
    void showsTheGroupColumnOnlyForCitusScopes() {
        decider.on("GET /v1/scopes/shop", 200, Fixtures.CITUS);
        decider.on("GET /v1/scopes/demo", 200, Fixtures.DEMO);

        Result citus = ctl.run("", "list", "shop");
        Result plain = ctl.run("", "list", "demo");

        assertThat(citus.out().lines().toList()).startsWith(
                "+ Citus cluster: shop -----+---------+---------+----+-----------+",
                "| Group | Member | Host    | Role    | State   | TL | Lag in MB |",
                "+-------+--------+---------+---------+---------+----+-----------+",
                "|     0 | c1     | c1:5432 | Leader  | running |  1 |           |");
        assertThat(citus.out()).contains("|     1 | w2     | w2:5432 | Replica | running |  2 |         0 |");
        assertThat(plain.out()).doesNotContain("Group");
    }

    @Test
    void groupOptionShowsOneGroupWithoutTheGroupColumn() {
        decider.on("GET /v1/scopes/shop", 200, Fixtures.CITUS);

        Result result = ctl.run("", "list", "shop", "--group", "1");

        assertThat(result.out()).isEqualTo("""
                + Citus cluster: shop (group: 1) ------+----+-----------+
                | Member | Host    | Role    | State   | TL | Lag in MB |
                +--------+---------+---------+---------+----+-----------+
                | w1     | w1:5432 | Leader  | running |  2 |           |
                | w2     | w2:5432 | Replica | running |  2 |         0 |
                +--------+---------+---------+---------+----+-----------+
                """);
    }

    @Test
    void addsPendingRestartAndTagsColumnsWhenAnyMemberHasThem() {
        decider.on("GET /v1/scopes/demo", 200, Fixtures.TAGGED);

        Result pretty = ctl.run("", "list", "demo");
        Result tsv = ctl.run("", "list", "demo", "-f", "tsv");

        assertThat(pretty.out()).isEqualTo("""
                + Cluster: demo ---------+---------+---------+----+-----------+-----------------+------------------+
                | Member | Host          | Role    | State   | TL | Lag in MB | Pending restart | Tags             |
                +--------+---------------+---------+---------+----+-----------+-----------------+------------------+
                | pg1    | 10.0.0.1:5432 | Leader  | running |  3 |           | *               |                  |
                +--------+---------------+---------+---------+----+-----------+-----------------+------------------+
                | pg2    | 10.0.0.2:5432 | Replica | stopped |    |   unknown |                 | clonefrom: true  |
                |        |               |         |         |    |           |                 | nofailover: true |
                +--------+---------------+---------+---------+----+-----------+-----------------+------------------+
                """);
        assertThat(tsv.out().lines()).contains(
                "demo\tpg2\t10.0.0.2:5432\tReplica\tstopped\t\tunknown\t\t{clonefrom: true, nofailover: true}");
    }

    @Test
    void showsMaintenanceModeAndScheduledSwitchoverUnderTheTable() {
        decider.on("GET /v1/scopes/demo", 200, Fixtures.DEMO_PAUSED_SCHEDULED);

        Result result = ctl.run("", "list", "demo");

        assertThat(result.out()).endsWith("""
                +--------+---------------+---------+---------+----+-----------+
                 Maintenance mode: on
                 Switchover scheduled at: 2026-11-21T12:00:00Z
                                    from: pg1
                                      to: pg2
                """);
    }

    @Test
    void lagInMbIsRoundedToWholeMegabytesAsPatronictlRounds() {
        assertThat(MemberTable.lagInMb(0L)).isEqualTo(new BigDecimal("0"));
        assertThat(MemberTable.lagInMb(1572864L)).isEqualTo(new BigDecimal("2"));
        assertThat(MemberTable.lagInMb(2621440L)).as("2.5 rounds to even").isEqualTo(new BigDecimal("2"));
        assertThat(MemberTable.lagInMb(104857L)).isEqualTo(new BigDecimal("0"));
        assertThat(MemberTable.lagInMb(786432L)).isEqualTo(new BigDecimal("1"));
        assertThat(MemberTable.lagInMb(10L * 1024 * 1024 * 1024 * 1024)).hasToString("10485760");
        assertThat(MemberTable.lagInMb("unknown")).isEqualTo("unknown");
        assertThat(MemberTable.lagInMb(null)).isEqualTo("");
    }

    @Test
    void rolesAreTitledAsPatroniTitlesThem() {
        assertThat(MemberTable.roleTitle("leader")).isEqualTo("Leader");
        assertThat(MemberTable.roleTitle("sync_standby")).isEqualTo("Sync Standby");
        assertThat(MemberTable.roleTitle("quorum_standby")).isEqualTo("Quorum Standby");
        assertThat(MemberTable.roleTitle("standby_leader")).isEqualTo("Standby Leader");
        assertThat(MemberTable.roleTitle("replica")).isEqualTo("Replica");
    }

    @Test
    void topologyIndentsCascadingReplicasUnderTheirUpstream() {
        decider.on("GET /v1/scopes/demo", 200, Fixtures.CASCADE);

        Result result = ctl.run("", "topology", "demo");

        assertThat(result.out().lines().skip(3).limit(4)).containsExactly(
                "| pg1     | h1:5432 | Leader  | running |  1 |           |                    |",
                "| + pg2   | h2:5432 | Replica | running |  1 |         0 |                    |",
                "|   + pg3 | h3:5432 | Replica | running |  1 |         2 | replicatefrom: pg2 |",
                "| + pg4   | h4:5432 | Replica | running |  1 |        16 |                    |");
    }

    @Test
    void topologyPrefersTheUpstreamTheApiGivesAndSurvivesLoops() {
        ClusterInfo.MemberInfo leader = member("a", "leader", null, null);
        ClusterInfo.MemberInfo b = member("b", "replica", "c", null);
        ClusterInfo.MemberInfo c = member("c", "replica", "b", null);
        ClusterInfo.MemberInfo d = member("d", "replica", "b", "a");

        assertThat(MemberTable.topologyNames(java.util.List.of(leader, b, c, d)).values())
                .containsExactly("a", "+ b", "  + c", "  + d");
    }

    private static ClusterInfo.MemberInfo member(String name, String role, String upstream, String replicatefrom) {
        return new ClusterInfo.MemberInfo(name, 0, role, "running", name, 5432, 1L, 0L, false,
                replicatefrom == null ? java.util.Map.of() : java.util.Map.of("replicatefrom", replicatefrom), upstream);
    }

    @Test
    void watchRefreshesAtTheIntervalWithATimestamp() {
        decider.on("GET /v1/scopes/demo", 200, Fixtures.DEMO);
        ctl.sleepsAllowed(1);

        Result result = ctl.run("", "list", "demo", "-w", "0.5", "-t");

        assertThat(ctl.sleeps()).containsExactly(Duration.ofMillis(500));
        assertThat(result.out().split("\033\\[H\033\\[2J", -1)).hasSize(3);
        assertThat(result.out()).contains("2026-11-21 11:00:00\n+ Cluster: demo");
        assertThat(decider.requests()).hasSize(2);
    }

    @Test
    void capitalWWatchesEveryTwoSeconds() {
        decider.on("GET /v1/scopes/demo", 200, Fixtures.DEMO);
        ctl.sleepsAllowed(2);

        ctl.run("", "list", "demo", "-W");

        assertThat(ctl.sleeps()).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(2));
    }

    @Test
    void listsEveryScopeWhenNoneIsNamedOrConfigured() {
        decider.on("GET /v1/scopes", 200, "[\"demo\",\"shop\"]");
        decider.on("GET /v1/scopes/demo", 200, Fixtures.DEMO);
        decider.on("GET /v1/scopes/shop", 200, Fixtures.CITUS);

        Result result = ctl.run("", "list");

        assertThat(result.out()).contains("+ Cluster: demo ").contains("+ Citus cluster: shop ");
    }

    @Test
    void unknownScopeIsRefusedWithTheDecidersMessage() {
        decider.on("GET /v1/scopes/nope", 404, "no such scope: nope");

        Result result = ctl.run("", "list", "nope");

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("no such scope: nope\n");
    }
}
