package io.steward.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.steward.ctl.CtlRunner.Result;

/** pause, resume, history, remove, flush, version and decider. */
class ScopeCommandsTest {

    @RegisterExtension
    final CtlFixture fixture = new CtlFixture();
    private final StubDecider decider = fixture.decider();
    private final CtlRunner ctl = fixture.ctl();

    @BeforeEach
    void start() {
        decider.on("GET /v1/scopes/demo", 200, Fixtures.DEMO);
    }

    @Test
    void pauseAsksForEveryGroupUnlessOneIsNamed() {
        decider.on("POST /v1/scopes/demo/pause", 200, "maintenance mode on: no automatic action until resumed");

        Result all = ctl.run("", "pause", "demo");
        Result one = ctl.run("", "pause", "demo", "--group", "1");

        assertThat(all.out()).isEqualTo("Success: cluster management is paused\n");
        assertThat(decider.writes()).extracting(StubDecider.Request::body).containsExactly("{}", "{\"group\":1}");
        assertThat(one.exit()).isZero();
    }

    @Test
    void pauseWaitPollsUntilTheDeciderShowsIt() {
        decider.on("POST /v1/scopes/demo/pause", 200, "maintenance mode on: no automatic action until resumed");
        decider.on("GET /v1/scopes/demo", 200, Fixtures.DEMO).thenOn("GET /v1/scopes/demo", 200, Fixtures.DEMO_PAUSED_SCHEDULED);

        Result result = ctl.run("", "pause", "demo", "--wait");

        assertThat(result.out()).isEqualTo("'pause' request sent, waiting until it is recognized by the decider\n"
                + "Success: cluster management is paused\n");
        assertThat(ctl.sleeps()).containsExactly(Duration.ofSeconds(1));
    }

    @Test
    void resumeOfARunningClusterIsRefused() {
        decider.on("POST /v1/scopes/demo/resume", 409, "Cluster is not paused");

        Result result = ctl.run("", "resume", "demo");

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("Resume failed: Cluster is not paused\n");
    }

    @Test
    void historyPrintsLsnsAsPostgresDoes() {
        decider.on("GET /v1/scopes/demo/history", 200, Fixtures.HISTORY);

        Result result = ctl.run("", "history", "demo");

        assertThat(result.out().lines().toList()).containsExactly(
                "+----+-----------+------------------------------+----------------------+------------+------------+"
                        + "--------------------------------+",
                "| TL |       LSN | Reason                       | Timestamp            | New Leader | Old Leader |"
                        + " Actor                          |",
                "+----+-----------+------------------------------+----------------------+------------+------------+"
                        + "--------------------------------+",
                "|  1 | 0/3000060 | no recovery target specified | 2026-11-20T09:00:00Z | pg2        | pg1        |"
                        + " stewardctl:alice@ops1@10.0.0.9 |",
                "|  2 |       1/0 | switchover from pg2 to pg1   |                      | pg1        | pg2        |"
                        + " api@10.0.0.7                   |",
                "+----+-----------+------------------------------+----------------------+------------+------------+"
                        + "--------------------------------+");
        assertThat(HistoryCommand.lsn(0x16_B374D848L)).isEqualTo("16/B374D848");
    }

    @Test
    void historyInJsonKeepsEveryColumn() {
        decider.on("GET /v1/scopes/demo/history?group=1", 200, Fixtures.HISTORY);

        Result result = ctl.run("", "history", "demo", "--group", "1", "-f", "json");

        assertThat(result.out()).contains("{\"TL\": 2, \"LSN\": \"1/0\", \"Reason\": \"switchover from pg2 to pg1\", "
                + "\"Timestamp\": \"\", \"New Leader\": \"pg1\", \"Old Leader\": \"pg2\", \"Actor\": \"api@10.0.0.7\"}");
    }

    @Test
    void removeAsksForTheNameTheWarningAndTheLeader() {
        decider.on("DELETE /v1/scopes/demo?confirm=demo", 200, "cluster demo/0 removed");

        Result result = ctl.run("demo\nYes I am aware\npg1\n", "remove", "demo");

        assertThat(result.exit()).isZero();
        assertThat(result.out()).contains("+\nPlease confirm the cluster name to remove: "
                + "You are about to remove all information the decider keeps for demo, please type: \"Yes I am aware\": "
                + "This cluster currently is healthy. Please specify the leader name to continue: "
                + "Success: cluster demo/0 removed\n");
        assertThat(decider.only("DELETE").target()).isEqualTo("/v1/scopes/demo?confirm=demo");
    }

    @Test
    void removeStopsAtTheFirstWrongAnswer() {
        Result wrongName = ctl.run("prod\n", "remove", "demo");
        Result notAware = ctl.run("demo\nyes\n", "remove", "demo");
        Result wrongLeader = ctl.run("demo\nYes I am aware\npg2\n", "remove", "demo");

        assertThat(wrongName.err()).isEqualTo("Cluster names specified do not match\n");
        assertThat(notAware.err()).isEqualTo("You did not exactly type \"Yes I am aware\"\n");
        assertThat(wrongLeader.err()).isEqualTo("You did not specify the current leader of the cluster\n");
        assertThat(decider.writes()).isEmpty();
    }

    @Test
    void flushCancelsTheScheduledSwitchover() {
        decider.on("GET /v1/scopes/demo", 200, Fixtures.DEMO_PAUSED_SCHEDULED);
        decider.on("DELETE /v1/scopes/demo/switchover", 200, "scheduled switchover deleted");

        Result result = ctl.run("", "flush", "demo", "switchover", "--force");

        assertThat(result.out()).isEqualTo("Success: scheduled switchover deleted\n");
        assertThat(decider.only("DELETE").target()).isEqualTo("/v1/scopes/demo/switchover");
    }

    @Test
    void flushWithoutAScheduledSwitchoverSaysSo() {
        Result result = ctl.run("", "flush", "demo", "switchover");

        assertThat(result.out()).isEqualTo("No pending scheduled switchover\n");
        assertThat(decider.writes()).isEmpty();
    }

    @Test
    void flushRestartOfACitusScopeCancelsInEveryGroup() {
        decider.on("GET /v1/scopes/shop", 200, Fixtures.CITUS);
        decider.on("DELETE /v1/scopes/shop/restart?group=0", 404, "no restart is scheduled");
        decider.on("DELETE /v1/scopes/shop/restart?group=1", 200, "scheduled restart deleted");

        Result result = ctl.run("", "flush", "shop", "restart");

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("Failed: group 0: no restart is scheduled\n");
        assertThat(result.out()).isEqualTo("Success: scheduled restart deleted\n");
    }

    @Test
    void flushOfSomethingElseIsAUsageError() {
        Result result = ctl.run("", "flush", "demo", "failover");

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("flush discards 'switchover' or 'restart', not 'failover'\n");
    }

    @Test
    void versionShowsStewardctlsAndTheDecidersAnswer() {
        decider.on("GET /v1/decider", 200, Fixtures.DECIDER);

        Result result = ctl.run("", "version");

        assertThat(result.out()).matches("stewardctl version \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\n"
                + "decider d1: version not reported by the decider\n");
    }

    @Test
    void deciderShowsWhichInstanceAnsweredAndWhetherItLeads() {
        decider.on("GET /v1/decider", 200, Fixtures.DECIDER);

        Result result = ctl.run("", "decider", "-f", "tsv");

        assertThat(result.out().lines()).containsExactly("Decider\tInstance\tLeader\tEpoch\tCaught up\tGroups",
                decider.url() + "\td1\tyes\t42\tyes\t3");
    }

    @Test
    void deciderAllAsksEveryConfiguredInstance() throws IOException {
        decider.on("GET /v1/decider", 200, Fixtures.DECIDER);
        String down = "http://127.0.0.1:" + ConfigurationTest.closedPort();

        Result result = fixture.bareCtl().run("", "decider", "--all", "--decider", down, "--decider",
                decider.url().toString());

        assertThat(result.exit()).isZero();
        assertThat(result.out()).contains("| " + down + " | no answer: connection refused |")
                .contains("| " + decider.url() + " | d1 ");
    }
}
