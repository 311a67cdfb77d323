package io.steward.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code steward-agent --validate-config FILE}: exit 0 or 1, every problem listed with its key path. */
class ValidateConfigTest {

    record Run(int code, String output) {
        List<String> lines(String severity) {
            return output.lines().filter(line -> line.startsWith(severity)).toList();
        }
    }

    static Run validate(Path file) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = AgentMain.run(new String[] {"--validate-config", file.toString()}, Map.of(),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8));
    }

    static Path resource(String name) throws URISyntaxException {
        return Path.of(ValidateConfigTest.class.getResource("/" + name).toURI());
    }

    @ParameterizedTest
    @ValueSource(strings = {"patroni-etcd-pg_patroni1.yml", "citus-postgresql0.yml", "citus-postgresql1.yml",
            "citus-postgresql2.yml", "citus-postgresql3.yml", "citus-postgresql4.yml", "citus-postgresql5.yml"})
    void patroniFilesFromTheFieldGuidesAreValidWithWarnings(String file) throws Exception {
        Run run = validate(resource("field-guides/" + file));

        assertThat(run.code()).as(run.output()).isZero();
        assertThat(run.lines("ERROR")).isEmpty();
        assertThat(run.output()).contains(": valid (");
        assertThat(run.lines("WARNING")).as("the kafka section they lack is named")
                .anyMatch(line -> line.startsWith("WARNING kafka: missing"));
    }

    @Test
    void theFieldGuideFileWithRepeatedSectionsAndATypoInAParameterIsExplained() throws Exception {
        Run run = validate(resource("field-guides/patroni-etcd-pg_patroni1.yml"));

        assertThat(run.lines("WARNING")).contains(
                "WARNING restapi: given twice (lines 4 and 17); the one at line 17 is used",
                "WARNING bootstrap.dcs.postgresql.parameters.wal_level: must be replica or logical (hot_standby means "
                        + "replica), got 'locical'; the default is used");
    }

    @Test
    void citusFilesWarnAboutKeysSterwardDoesNotImplement() throws Exception {
        Run run = validate(resource("field-guides/citus-postgresql0.yml"));

        assertThat(run.lines("WARNING")).anyMatch(line -> line.startsWith("WARNING bootstrap.users: not implemented"));
    }

    @Test
    void aMisspeltKeyAWrongTypeAndAMissingKeyGiveThreeMessages() throws Exception {
        Run run = validate(resource("configs/three-mistakes.yml"));

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.lines("ERROR")).containsExactlyInAnyOrder(
                "ERROR   name: required, missing",
                "ERROR   postgresql.pg_ctl_timeot: unknown key; did you mean postgresql.pg_ctl_timeout?",
                "ERROR   tags.nofailover: must be true or false, got 'sometimes'");
        assertThat(run.output()).contains("invalid (3 errors)");
    }

    @Test
    void aMinimalFileIsValid() throws Exception {
        Run run = validate(resource("configs/minimal.yml"));

        assertThat(run.code()).as(run.output()).isZero();
        assertThat(run.lines("ERROR")).isEmpty();
    }

    @Test
    void malformedYamlNamesTheLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("broken.yml");
        Files.writeString(file, "scope: demo\nname: [pg1\nrestapi:\n  listen: 127.0.0.1:8008\n");

        Run run = validate(file);

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.lines("ERROR")).singleElement().asString().contains("line");
    }

    @Test
    void aMissingFileIsAnError(@TempDir Path dir) throws Exception {
        Run run = validate(dir.resolve("absent.yml"));

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.output()).contains("cannot be read");
    }

    @Test
    void wrongArgumentsPrintUsage() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = AgentMain.run(new String[] {"--validate-config"}, Map.of(), System.out,
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage: steward-agent");
    }
}
