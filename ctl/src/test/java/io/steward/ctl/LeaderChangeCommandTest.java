package io.steward.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.steward.ctl.CtlRunner.Result;

class LeaderChangeCommandTest {

    @RegisterExtension
    final CtlFixture fixture = new CtlFixture();
    private final StubDecider decider = fixture.decider();
    private final CtlRunner ctl = fixture.ctl();

    @BeforeEach
    void start() {
        decider.on("GET /v1/scopes/demo", 200, Fixtures.DEMO);
        decider.on("GET /v1/scopes/shop", 200, Fixtures.CITUS);
    }

    @Test
    void forcedSwitchoverDemotesTheCurrentLeaderAndSaysWhoAsked() {
        decider.on("POST /v1/scopes/demo/switchover", 202, "switchover from pg1 to pg2 started");

        Result result = ctl.run("", "switchover", "demo", "--candidate", "pg2", "--force");

        assertThat(result.exit()).isZero();
        StubDecider.Request post = decider.only("POST");
        assertThat(post.body()).isEqualTo("{\"leader\":\"pg1\",\"candidate\":\"pg2\"}");
        assertThat(post.header("X-Steward-Actor")).isEqualTo("stewardctl:alice@ops1");
        assertThat(post.header("Content-Type")).isEqualTo("application/json");
        assertThat(result.out()).startsWith("Current cluster topology\n+ Cluster: demo ")
                .contains("\n2026-11-21 11:00:00.00000 switchover from pg1 to pg2 started\n+ Cluster: demo ");
    }

    @Test
    void switchoverAsksForLeaderCandidateTimeAndConfirmation() {
        decider.on("POST /v1/scopes/demo/switchover", 202, "switchover from pg1 to pg3 started");

        Result result = ctl.run("\npg3\n\ny\n", "switchover", "demo");

        assertThat(result.exit()).isZero();
        assertThat(result.out()).contains("+--------+---------------+--------------+---------+----+-----------+\n"
                + "Primary [pg1]: Candidate ['pg2', 'pg3'] []: "
                + "When should the switchover take place (e.g. 2026-11-21T12:00) [now]: "
                + "Are you sure you want to switchover cluster demo, demoting current leader pg1? [y/N]: "
                + "2026-11-21 11:00:00.00000 switchover from pg1 to pg3 started\n");
        assertThat(decider.only("POST").json().toString()).isEqualTo("{\"leader\":\"pg1\",\"candidate\":\"pg3\"}");
    }

    @Test
    void scheduledSwitchoverReadsATimeWithoutOffsetInTheLocalZone() {
        decider.on("POST /v1/scopes/demo/switchover", 202, "Switchover scheduled at 2026-11-21T11:30:00Z");

        Result result = ctl.run("pg1\n\n2026-11-21T12:30\ny\n", "switchover", "demo");

        assertThat(result.out()).contains("Are you sure you want to schedule switchover of cluster demo at "
                + "2026-11-21T12:30:00+01:00, demoting current leader pg1? [y/N]: ");
        assertThat(decider.only("POST").body()).isEqualTo("{\"leader\":\"pg1\",\"scheduled_at\":\"2026-11-21T12:30:00+01:00\"}");
    }

    @Test
    void answeringNoAbortsWithoutAsking() {
        Result result = ctl.run("\n\n\nn\n", "switchover", "demo");

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("Aborting switchover\n");
        assertThat(decider.writes()).isEmpty();
    }

    @Test
    void endOfInputAbortsAsClickDoes() {
        Result result = ctl.run("", "switchover", "demo");

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("Aborted!\n");
        assertThat(decider.writes()).isEmpty();
    }

    @Test
    void refusalPrintsTheDecidersMessageAndExitsOne() {
        decider.on("POST /v1/scopes/demo/switchover", 412, "candidate pg2 is 3.0 MB behind, more than maximum_lag_on_failover");

        Result result = ctl.run("", "switchover", "demo", "--candidate", "pg2", "--force");

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("Switchover failed: candidate pg2 is 3.0 MB behind, more than maximum_lag_on_failover\n");
    }

    @Test
    void aLeaderOtherThanTheCurrentOneIsRefusedBeforeAsking() {
        Result result = ctl.run("", "switchover", "demo", "--leader", "pg2", "--candidate", "pg3", "--force");

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("Member pg2 is not the leader of cluster demo\n");
        assertThat(decider.writes()).isEmpty();
    }

    @Test
    void membersTaggedNofailoverAreNoCandidates() {
        decider.on("GET /v1/scopes/tagged", 200, Fixtures.TAGGED);

        Result result = ctl.run("", "switchover", "tagged", "--force");

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("No candidates found to switchover to\n");
    }

    @Test
    void citusSwitchoverNeedsAGroupAndSendsIt() {
        decider.on("POST /v1/scopes/shop/switchover", 202, "switchover from w1 to w2 started");

        Result without = ctl.run("", "switchover", "shop", "--force");
        Result with = ctl.run("", "switchover", "shop", "--group", "1", "--force");

        assertThat(without.exit()).isEqualTo(1);
        assertThat(without.err()).isEqualTo("For Citus clusters the --group must be specified\n");
        assertThat(with.exit()).isZero();
        assertThat(decider.only("POST").body()).isEqualTo("{\"leader\":\"w1\",\"group\":1}");
    }

    @Test
    void citusSwitchoverAsksForTheGroup() {
        decider.on("POST /v1/scopes/shop/switchover", 202, "switchover from w1 to w2 started");

        Result result = ctl.run("1\n\nw2\nnow\ny\n", "switchover", "shop");

        assertThat(result.out()).contains("Citus group: Primary [w1]: Candidate ['w2'] []: ");
        assertThat(decider.only("POST").body()).isEqualTo("{\"leader\":\"w1\",\"candidate\":\"w2\",\"group\":1}");
    }

    @Test
    void failoverSendsOnlyTheCandidate() {
        decider.on("POST /v1/scopes/demo/failover", 202, "failover to pg2 started");

        Result result = ctl.run("", "failover", "demo", "--candidate", "pg2", "--force");

        assertThat(result.exit()).isZero();
        assertThat(decider.only("POST").target()).isEqualTo("/v1/scopes/demo/failover");
        assertThat(decider.only("POST").body()).isEqualTo("{\"candidate\":\"pg2\"}");
        assertThat(result.out()).contains("2026-11-21 11:00:00.00000 failover to pg2 started");
    }

    @Test
    void forcedFailoverNeedsACandidate() {
        Result result = ctl.run("", "failover", "demo", "--force");

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("Failover could be performed only to a specific candidate\n");
    }

    @Test
    void failoverToAnAsynchronousReplicaAsksTwice() {
        decider.on("POST /v1/scopes/demo/failover", 202, "failover to pg3 started");

        Result result = ctl.run("pg3\ny\ny\n", "failover", "demo");

        assertThat(result.out()).contains("Candidate ['pg2', 'pg3'] []: "
                + "Are you sure you want to failover to the asynchronous node pg3? [y/N]: "
                + "Are you sure you want to failover cluster demo, demoting current leader pg1? [y/N]: ");
        assertThat(decider.only("POST").body()).isEqualTo("{\"candidate\":\"pg3\"}");
    }

    @Test
    void failoverWithALeaderIsASwitchover() {
        decider.on("POST /v1/scopes/demo/switchover", 202, "switchover from pg1 to pg2 started");

        Result result = ctl.run("", "failover", "demo", "--leader", "pg1", "--candidate", "pg2", "--force");

        assertThat(result.exit()).isZero();
        assertThat(decider.only("POST").target()).isEqualTo("/v1/scopes/demo/switchover");
    }

    @Test
    void unparsableTimeIsRefused() {
        Result result = ctl.run("", "switchover", "demo", "--candidate", "pg2", "--scheduled", "tomorrow", "--force");

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("Unable to parse scheduled timestamp (tomorrow). It should be in an unambiguous "
                + "format (e.g. ISO 8601)\n");
    }
}
