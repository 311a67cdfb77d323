package io.steward.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.steward.ctl.CtlRunner.Result;

class MemberActionCommandTest {

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
    void restartSendsMembersRolePendingScheduleVersionAndTimeout() {
        decider.on("POST /v1/scopes/demo/restart", 202, "Restart scheduled at 2026-11-21T12:00:00Z");

        Result result = ctl.run("", "restart", "demo", "pg2", "pg3", "--role", "replica", "--pending",
                "--scheduled", "2026-11-21T13:00", "--pg-version", "16.4", "--timeout", "60", "--force");

        assertThat(result.exit()).isZero();
        assertThat(decider.only("POST").body()).isEqualTo("{\"members\":[\"pg2\",\"pg3\"],\"role\":\"replica\","
                + "\"restart_pending\":true,\"schedule\":\"2026-11-21T13:00:00+01:00\",\"postgres_version\":\"16.4\","
                + "\"timeout\":60}");
        assertThat(result.out()).endsWith("Success: Restart scheduled at 2026-11-21T12:00:00Z\n");
    }

    @Test
    void restartAsksWhenWhetherAndWhichVersion() {
        decider.on("POST /v1/scopes/demo/restart", 202, "restart issued to pg1, pg2, pg3");

        Result result = ctl.run("\ny\n\n", "restart", "demo");

        assertThat(result.out()).contains("+\nWhen should the restart take place (e.g. 2026-11-21T12:00) [now]: "
                + "Are you sure you want to restart members pg1, pg2, pg3? [y/N]: "
                + "Restart if the PostgreSQL version is less than provided (e.g. 9.5.2) []: "
                + "Success: restart issued to pg1, pg2, pg3\n");
        assertThat(decider.only("POST").body()).isEqualTo("{\"members\":[\"pg1\",\"pg2\",\"pg3\"]}");
    }

    @Test
    void restartOfThePrimaryRoleSelectsTheLeader() {
        decider.on("POST /v1/scopes/demo/restart", 202, "restart issued to pg1");

        ctl.run("", "restart", "demo", "-r", "primary", "--force");

        assertThat(decider.only("POST").body()).isEqualTo("{\"members\":[\"pg1\"],\"role\":\"primary\"}");
    }

    @Test
    void restartAnyPicksOneMember() {
        decider.on("POST /v1/scopes/demo/restart", 202, "restart issued");

        ctl.run("", "restart", "demo", "--any", "--force");

        assertThat(decider.only("POST").json().path("members")).hasSize(1);
    }

    @Test
    void unknownMemberIsRefusedBeforeAsking() {
        Result result = ctl.run("", "restart", "demo", "pg9", "--force");

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("pg9 is not a member of cluster\n");
        assertThat(decider.writes()).isEmpty();
    }

    @Test
    void refusedRestartPrintsTheMessageAndExitsOne() {
        decider.on("POST /v1/scopes/demo/restart", 412,
                "restart conditions are not satisfied: no member matches (pending restart)");

        Result result = ctl.run("", "restart", "demo", "--pending", "--force");

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err()).isEqualTo(
                "Restart failed: restart conditions are not satisfied: no member matches (pending restart)\n");
    }

    @Test
    void restartOfACitusScopeSendsOneRequestPerGroup() {
        decider.on("POST /v1/scopes/shop/restart", 202, "restart issued");

        ctl.run("", "restart", "shop", "c2", "w2", "--force");

        assertThat(decider.writes()).extracting(StubDecider.Request::body).containsExactly(
                "{\"members\":[\"c2\"],\"group\":0}", "{\"members\":[\"w2\"],\"group\":1}");
    }

    @Test
    void scheduledRestartIsRefusedWhilePaused() {
        decider.on("GET /v1/scopes/paused", 200, Fixtures.DEMO_PAUSED_SCHEDULED);

        Result result = ctl.run("", "restart", "paused", "--scheduled", "2026-11-21T13:00", "--force");

        assertThat(result.err()).isEqualTo("Can't schedule restart in the paused state\n");
        assertThat(decider.writes()).isEmpty();
    }

    @Test
    void reloadConfirmsAndSendsTheMembersOfTheRole() {
        decider.on("POST /v1/scopes/demo/reload", 202, "reload scheduled on pg2, pg3");

        Result result = ctl.run("y\n", "reload", "demo", "--role", "replica");

        assertThat(result.exit()).isZero();
        assertThat(result.out()).contains("Are you sure you want to reload members pg2, pg3? [y/N]: "
                + "Success: reload scheduled on pg2, pg3\n");
        assertThat(decider.only("POST").body()).isEqualTo("{\"members\":[\"pg2\",\"pg3\"],\"role\":\"replica\"}");
    }

    @Test
    void unknownRoleIsAUsageError() {
        Result result = ctl.run("", "reload", "demo", "--role", "boss");

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).contains("expected one of leader, primary, standby-leader, replica, standby, any");
    }

    @Test
    void reinitSendsEachMemberWithForceAndFromLeader() {
        decider.on("POST /v1/scopes/demo/reinitialize", 200, "reinitialize started");

        Result result = ctl.run("", "reinit", "demo", "pg3", "--force", "--from-leader");

        assertThat(result.exit()).isZero();
        assertThat(decider.only("POST").body()).isEqualTo("{\"member\":\"pg3\",\"force\":true,\"from_leader\":true}");
        assertThat(result.out()).endsWith("Success: reinitialize for member pg3\n");
    }

    @Test
    void reinitAsksWhichReplica() {
        decider.on("POST /v1/scopes/demo/reinitialize", 200, "reinitialize started");

        Result result = ctl.run("pg2\ny\n", "reinit", "demo");

        assertThat(result.out()).contains("Which member do you want to reinitialize [pg2, pg3]? []: "
                + "Are you sure you want to reinitialize members pg2? [y/N]: ");
        assertThat(decider.only("POST").body()).isEqualTo("{\"member\":\"pg2\",\"force\":false}");
    }

    @Test
    void reinitOfTheLeaderIsRefused() {
        Result result = ctl.run("", "reinit", "demo", "pg1", "--force");

        assertThat(result.err()).isEqualTo("No replica among provided members\n");
    }

    @Test
    void reinitOffersToCancelWhatIsInProgress() {
        decider.on("POST /v1/scopes/demo/reinitialize", 503, "restart already in progress on pg3")
                .thenOn("POST /v1/scopes/demo/reinitialize", 200, "reinitialize started");

        Result result = ctl.run("y\ny\n", "reinit", "demo", "pg3");

        assertThat(result.out()).contains("restart already in progress on pg3\n"
                + "Do you want to cancel it and reinitialize anyway? [y/N]: Success: reinitialize for member pg3\n");
        assertThat(decider.writes()).extracting(StubDecider.Request::body).containsExactly(
                "{\"member\":\"pg3\",\"force\":false}", "{\"member\":\"pg3\",\"force\":true}");
    }

    @Test
    void refusedReinitNamesTheMember() {
        decider.on("POST /v1/scopes/demo/reinitialize", 503, "Cluster has no leader, can not reinitialize");

        Result result = ctl.run("", "reinit", "demo", "pg3", "--force");

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("Reinitialize of pg3 failed: Cluster has no leader, can not reinitialize\n");
    }
}
