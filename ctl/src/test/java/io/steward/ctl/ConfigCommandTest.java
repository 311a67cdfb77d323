package io.steward.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.steward.ctl.CtlRunner.Result;

class ConfigCommandTest {

    private static final String CONFIG_YAML = """
            loop_wait: 10
            maximum_lag_on_failover: 1048576
            postgresql:
              parameters:
                max_connections: 100
                wal_level: replica
              use_pg_rewind: true
            retry_timeout: 10
            ttl: 30
            """;

    @RegisterExtension
    final CtlFixture fixture = new CtlFixture();
    private final StubDecider decider = fixture.decider();
    private final CtlRunner ctl = fixture.ctl();

    @BeforeEach
    void start() {
        decider.on("GET /v1/scopes/demo/config", 200, Fixtures.CONFIG);
        decider.on("PATCH /v1/scopes/demo/config", 200, "configuration version 8");
    }

    @Test
    void showConfigPrintsYaml() {
        Result result = ctl.run("", "show-config", "demo");

        assertThat(result.out()).isEqualTo(CONFIG_YAML);
    }

    @Test
    void showConfigPrintsJsonOnRequest() throws IOException {
        Result result = ctl.run("", "show-config", "demo", "--format", "json");

        assertThat(Json.JSON.readTree(result.out()).path("postgresql").path("parameters").path("wal_level").asText())
                .isEqualTo("replica");
    }

    @Test
    void showConfigOfAGroupAsksForThatGroup() {
        decider.on("GET /v1/scopes/demo/config?group=2", 200, Fixtures.CONFIG);

        ctl.run("", "show-config", "demo", "--group", "2");

        assertThat(decider.only("GET").target()).isEqualTo("/v1/scopes/demo/config?group=2");
    }

    @Test
    void editConfigShowsTheDiffAndPatchesOnTheVersionItRead() {
        Result result = ctl.run("", "edit-config", "demo", "-s", "loop_wait=5", "-p", "max_connections=200", "--force");

        assertThat(result.exit()).isZero();
        assertThat(result.out()).isEqualTo("""
                --- demo (version 7)
                +++ demo (edited)
                @@ -1,8 +1,8 @@
                -loop_wait: 10
                +loop_wait: 5
                 maximum_lag_on_failover: 1048576
                 postgresql:
                   parameters:
                -    max_connections: 100
                +    max_connections: 200
                     wal_level: replica
                   use_pg_rewind: true
                 retry_timeout: 10
                Configuration changed (configuration version 8)
                """);
        StubDecider.Request patch = decider.only("PATCH");
        assertThat(patch.header("If-Match")).isEqualTo("7");
        assertThat(patch.body()).isEqualTo("{\"loop_wait\":5,\"postgresql\":{\"parameters\":{\"max_connections\":200}}}");
    }

    @Test
    void editConfigAsksBeforeApplying() {
        Result declined = ctl.run("n\n", "edit-config", "demo", "-s", "ttl=20");
        Result accepted = ctl.run("y\n", "edit-config", "demo", "-s", "ttl=20");

        assertThat(declined.exit()).isZero();
        assertThat(declined.out()).endsWith("+ttl: 20\nApply these changes? [y/N]: ");
        assertThat(accepted.out()).endsWith("Apply these changes? [y/N]: Configuration changed (configuration version 8)\n");
        assertThat(decider.writes()).hasSize(1);
    }

    @Test
    void concurrentChangeIsRefusedWithTheDecidersMessage() {
        decider.on("PATCH /v1/scopes/demo/config", 409,
                "the configuration changed meanwhile: it is at version 8, the patch expected 7");

        Result result = ctl.run("", "edit-config", "demo", "-s", "ttl=20", "--force");

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("Config modification aborted due to concurrent changes: the configuration "
                + "changed meanwhile: it is at version 8, the patch expected 7\n");
    }

    @Test
    void sameValueIsNotChanged() {
        Result result = ctl.run("", "edit-config", "demo", "-s", "loop_wait=10", "--force");

        assertThat(result.out()).isEqualTo("Not changed\n");
        assertThat(decider.writes()).isEmpty();
    }

    @Test
    void nullDeletesAndGucNamesKeepTheirDots() {
        ctl.run("", "edit-config", "demo", "-s", "retry_timeout=null", "-p", "pg_stat_statements.track=all",
                "-s", "postgresql.use_pg_rewind=false", "--force");

        assertThat(decider.only("PATCH").body()).isEqualTo("{\"postgresql\":{\"parameters\":{\"pg_stat_statements.track\":"
                + "\"all\"},\"use_pg_rewind\":false},\"retry_timeout\":null}");
    }

    @Test
    void applyMergesAYamlPatchFromAFile() throws IOException {
        Path patch = ctl.file("patch.yaml", "ttl: 20\npostgresql:\n  parameters:\n    wal_level: logical\n");

        ctl.run("", "edit-config", "demo", "--apply", patch.toString(), "--force");

        assertThat(decider.only("PATCH").body()).isEqualTo("{\"postgresql\":{\"parameters\":{\"wal_level\":\"logical\"}},"
                + "\"ttl\":20}");
    }

    @Test
    void applyFromStdinNeedsForce() {
        Result result = ctl.run("ttl: 20\n", "edit-config", "demo", "--apply", "-");

        assertThat(result.out()).endsWith("+ttl: 20\nUse --force option to apply changes\n");
        assertThat(decider.writes()).isEmpty();
    }

    @Test
    void replaceRemovesWhatTheNewConfigurationLeavesOut() throws IOException {
        Path whole = ctl.file("whole.yaml", "loop_wait: 10\nttl: 30\n");

        ctl.run("", "edit-config", "demo", "--replace", whole.toString(), "--force");

        assertThat(decider.only("PATCH").body()).isEqualTo(
                "{\"maximum_lag_on_failover\":null,\"postgresql\":null,\"retry_timeout\":null}");
    }

    @Test
    void withoutChangesOnTheCommandLineItOpensTheEditor() {
        AtomicReference<String> opened = new AtomicReference<>();
        ctl.env("EDITOR", "vim").editor((command, file) -> {
            opened.set(command + " " + Files.readString(file).length());
            Files.writeString(file, Files.readString(file).replace("ttl: 30", "ttl: 45"));
            return 0;
        });

        Result result = ctl.run("", "edit-config", "demo", "--force");

        assertThat(opened.get()).isEqualTo("vim " + CONFIG_YAML.length());
        assertThat(result.out()).contains("-ttl: 30\n+ttl: 45\n");
        assertThat(decider.only("PATCH").body()).isEqualTo("{\"ttl\":45}");
    }

    @Test
    void failingEditorChangesNothing() {
        ctl.env("EDITOR", "vim").editor((command, file) -> 1);

        Result result = ctl.run("", "edit-config", "demo", "--force");

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("Editor exited with return code 1\n");
        assertThat(decider.writes()).isEmpty();
    }
}
