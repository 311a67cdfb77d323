package io.steward.citus.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class CitusSyncConfigReaderTest {

    @Test
    void readsTheExampleInCompose() {
        CitusSyncConfig config = CitusSyncConfigReader.read(Path.of("..", "compose", "citus-sync.yml"));

        assertThat(config.name()).isEqualTo("citus-sync-1");
        assertThat(config.scope()).isEqualTo("citus-demo");
        assertThat(config.database()).isEqualTo("citus");
        assertThat(config.lockCooldownMillis()).isEqualTo(10_000);
        assertThat(config.pauseTimeout()).hasSeconds(30);
        assertThat(config.bootstrapServers()).isEqualTo("127.0.0.1:9092");
        assertThat(config.topicPrefix()).isEqualTo("steward.");
        assertThat(config.writerKeyFile()).isEqualTo(Path.of("/etc/steward/citus-sync.key"));
        assertThat(config.superuser()).isEqualTo(new CitusSyncConfig.Login("postgres", "change-me", null));
    }

    @Test
    void defaultsWhatMayBeLeftOut() {
        CitusSyncConfig config = CitusSyncConfigReader.parse("""
                scope: s
                citus: {database: citus}
                kafka: {bootstrap_servers: "k:9092", properties: {security.protocol: SSL}}
                """, "test.yml");

        assertThat(config.name()).isEqualTo("citus-sync");
        assertThat(config.lockCooldownMillis()).isEqualTo(10_000);
        assertThat(config.topicPrefix()).isEqualTo("steward.");
        assertThat(config.kafkaProperties()).containsEntry("security.protocol", "SSL");
        assertThat(config.superuser().username()).isEqualTo("postgres");
        assertThat(config.writerKeyFile()).as("unsealed reports without a key").isNull();
    }

    @Test
    void everyProblemIsReportedAtOnceWithItsPath() {
        assertThatThrownBy(() -> CitusSyncConfigReader.parse("""
                scope: s
                citus: {databse: citus, lock_cooldown: soon}
                kafka: {}
                postgresql: {authentication: {superuser: {username: postgres, pasword: x}}}
                extra: 1
                """, "bad.yml"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bad.yml has 6 problem(s)")
                .hasMessageContaining("citus.databse: unknown key (known here: database, lock_cooldown, pause_timeout)")
                .hasMessageContaining("postgresql.authentication.superuser.pasword: unknown key")
                .hasMessageContaining("extra: unknown key")
                .hasMessageContaining("citus.database: required")
                .hasMessageContaining("citus.lock_cooldown: expected a whole number, got 'soon'")
                .hasMessageContaining("kafka.bootstrap_servers: required");
    }

    @Test
    void malformedYamlIsAClearError(@org.junit.jupiter.api.io.TempDir Path directory) throws Exception {
        Path file = Files.writeString(directory.resolve("broken.yml"), "scope: [unclosed\n");

        assertThatThrownBy(() -> CitusSyncConfigReader.read(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("broken.yml is not valid YAML");
        assertThatThrownBy(() -> CitusSyncConfigReader.parse("- a list", "list.yml"))
                .hasMessageContaining("expected a mapping at the top level");
    }
}
