package io.steward.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.steward.core.model.GroupId;

class ConfigLoaderTest {

    static Path minimal() throws URISyntaxException {
        return Path.of(ConfigLoaderTest.class.getResource("/configs/minimal.yml").toURI());
    }

    @Test
    void theYamlIsReadWithStewardsDefaults() throws Exception {
        ConfigLoader.Loaded loaded = ConfigLoader.load(minimal(), Map.of(), false);

        AgentConfig config = loaded.config();
        assertThat(loaded.isValid()).as(loaded.problems().report()).isTrue();
        assertThat(config.group()).isEqualTo(new GroupId("demo", 0));
        assertThat(config.namespace()).isEqualTo("/service/");
        assertThat(config.kafka().bootstrapServers()).isEqualTo("127.0.0.1:9092");
        assertThat(config.kafka().topicPrefix()).isEqualTo("steward.");
        assertThat(config.kafka().heartbeatInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.safetyMargin()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.etcd().endpoints()).containsExactly("http://127.0.0.1:2379");
        assertThat(config.restapi().url()).isEqualTo("http://127.0.0.1:8008");
        assertThat(config.postgresql().port()).isEqualTo(5432);
    }

    @Test
    void environmentOverridesTheFileAndStewardsVariablesWinOverPatronis() throws Exception {
        ConfigLoader.Loaded loaded = ConfigLoader.load(minimal(), Map.of(
                "PATRONI_NAME", "from-patroni",
                "PATRONI_SCOPE", "patroni-scope",
                "STEWARD_SCOPE", "steward-scope",
                "PATRONI_ETCD3_HOSTS", "10.0.0.1:2379, 10.0.0.2:2379",
                "STEWARD_KAFKA_BOOTSTRAP_SERVERS", "10.0.0.9:9092",
                "PATRONI_RESTAPI_USERNAME", "admin",
                "PATRONI_RESTAPI_PASSWORD", "secret"), false);

        AgentConfig config = loaded.config();
        assertThat(loaded.isValid()).as(loaded.problems().report()).isTrue();
        assertThat(config.name()).isEqualTo("from-patroni");
        assertThat(config.scope()).isEqualTo("steward-scope");
        assertThat(config.etcd().endpoints()).containsExactly("http://10.0.0.1:2379", "http://10.0.0.2:2379");
        assertThat(config.kafka().bootstrapServers()).isEqualTo("10.0.0.9:9092");
        assertThat(config.restapi().username()).isEqualTo("admin");
    }

    @Test
    void aWholeDocumentInTheEnvironmentReplacesTheFile(@TempDir Path dir) throws Exception {
        String document = Files.readString(minimal()).replace("name: pg1", "name: pg7");

        ConfigLoader.Loaded loaded = ConfigLoader.load(dir.resolve("unused.yml"),
                Map.of("PATRONI_CONFIGURATION", document), false);

        assertThat(loaded.isValid()).as(loaded.problems().report()).isTrue();
        assertThat(loaded.config().name()).isEqualTo("pg7");
    }

    @Test
    void tlsToEtcdIsRefusedRatherThanSilentlyPlain() throws Exception {
        ConfigLoader.Loaded loaded = ConfigLoader.load(minimal(), Map.of("PATRONI_ETCD3_PROTOCOL", "https"), false);

        assertThat(loaded.isValid()).isFalse();
        assertThat(loaded.problems().report()).contains("protocol").contains("TLS to etcd is not supported yet");
    }

    @Test
    void citusMembersBelongToTheirGroup(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("worker.yml");
        Files.writeString(file, Files.readString(minimal()) + "citus:\n  group: 2\n  database: citus\n");

        ConfigLoader.Loaded loaded = ConfigLoader.load(file, Map.of(), false);

        assertThat(loaded.isValid()).as(loaded.problems().report()).isTrue();
        assertThat(loaded.config().group()).isEqualTo(new GroupId("demo", 2));
    }

    @Test
    void aSafetyMarginThatWouldLetTheWatchdogFireAfterTheLeaseCanExpireIsRefused(@TempDir Path dir) throws Exception {
        for (String margin : new String[] {"0.2", "0", "NaN"}) {
            Path file = dir.resolve("margin.yml");
            Files.writeString(file, Files.readString(minimal()) + "watchdog:\n  safety_margin: " + margin + "\n");

            ConfigLoader.Loaded loaded = ConfigLoader.load(file, Map.of(), false);

            assertThat(loaded.problems().hasErrors()).as("safety_margin " + margin).isTrue();
            assertThat(loaded.problems().errors()).as("safety_margin " + margin).anyMatch(error ->
                    error.startsWith("watchdog.safety_margin: must be at least 0.5 s"));
        }
    }

    @Test
    void aSafetyMarginThatLeavesNoTimeToRenewIsReplaced(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("margin.yml");
        Files.writeString(file, Files.readString(minimal()) + "watchdog:\n  safety_margin: 10\n");

        ConfigLoader.Loaded loaded = ConfigLoader.load(file, Map.of(), false);

        assertThat(loaded.problems().warnings()).anyMatch(warning -> warning.startsWith("watchdog.safety_margin:"));
        assertThat(loaded.config().safetyMargin()).isEqualTo(Duration.ofSeconds(1)); // a quarter of the 4 s ttl
    }

    @Test
    void unknownKeysFarFromAnyKnownKeyAreWarnings(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("extra.yml");
        Files.writeString(file, Files.readString(minimal()) + "completely_unrelated_section:\n  a: 1\n");

        ConfigLoader.Loaded loaded = ConfigLoader.load(file, Map.of(), false);

        assertThat(loaded.isValid()).isTrue();
        assertThat(loaded.problems().warnings()).contains("completely_unrelated_section: unknown key, ignored");
    }
}
