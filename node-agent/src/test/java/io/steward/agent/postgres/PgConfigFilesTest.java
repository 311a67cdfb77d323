package io.steward.agent.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.steward.agent.config.AgentConfig;
import io.steward.agent.config.ConfigLoader;
import io.steward.core.config.ConfigTree;
import io.steward.core.config.DynamicConfig;

/** Patroni's layering (§3.1, §3.3): local settings win, except those every member must share. */
class PgConfigFilesTest {

    static AgentConfig config(Path dir) throws Exception {
        return config(dir, "");
    }

    static AgentConfig config(Path dir, String extra) throws Exception {
        Path file = dir.resolve("member.yml");
        Files.writeString(file, extra + """
                scope: demo
                name: pg1
                restapi: {listen: 127.0.0.1:8008}
                etcd3: {hosts: 127.0.0.1:2379}
                kafka: {bootstrap_servers: 127.0.0.1:9092}
                postgresql:
                  listen: 127.0.0.1:5433
                  data_dir: %s
                  authentication:
                    superuser: {username: postgres}
                    replication: {username: replicator}
                  parameters:
                    work_mem: 64MB
                    max_connections: 500
                    port: 9999
                """.formatted(dir.resolve("data")));
        ConfigLoader.Loaded loaded = ConfigLoader.load(file, Map.of(), false);
        assertThat(loaded.isValid()).as(loaded.problems().report()).isTrue();
        return loaded.config();
    }

    static DynamicConfig dynamic() {
        return DynamicConfig.parse(3, ConfigTree.of(Map.of("postgresql", Map.of("parameters", Map.of(
                "work_mem", "8MB", "max_connections", "200", "maintenance_work_mem", "128MB",
                "wal_keep_segments", "8"))))).config();
    }

    @Test
    void localParametersWinOverDynamicOnes(@TempDir Path dir) throws Exception {
        Map<String, String> settings = new PgConfigFiles(config(dir), new OsUser(null)).fileSettings(dynamic(), null);

        assertThat(settings).containsEntry("work_mem", "64MB").containsEntry("maintenance_work_mem", "128MB");
        assertThat(settings).as("wal_keep_segments becomes wal_keep_size").containsEntry("wal_keep_size", "128MB")
                .doesNotContainKey("wal_keep_segments");
        assertThat(settings).doesNotContainKeys("max_connections", "port", "primary_conninfo");
    }

    @Test
    void clusterWideParametersComeFromTheDynamicConfigurationOnTheCommandLine(@TempDir Path dir) throws Exception {
        List<String> commandLine = new PgConfigFiles(config(dir), new OsUser(null)).commandLine(dynamic());

        assertThat(String.join(" ", commandLine)).contains("-c max_connections=200").contains("-c port=5433")
                .contains("-c listen_addresses=127.0.0.1").contains("-c cluster_name=demo")
                .doesNotContain("max_connections=500").doesNotContain("port=9999");
    }

    @Test
    void aStandbyGetsItsRecoverySettings(@TempDir Path dir) throws Exception {
        PgConfigFiles.Recovery recovery = new PgConfigFiles.Recovery("pg2", "host=127.0.0.1 port=5434", "pg1");

        Map<String, String> settings = new PgConfigFiles(config(dir), new OsUser(null)).fileSettings(dynamic(), recovery);

        assertThat(settings).containsEntry("primary_conninfo", "host=127.0.0.1 port=5434")
                .containsEntry("primary_slot_name", "pg1").containsEntry("recovery_target_timeline", "latest");
    }

    @Test
    void aCitusMemberGetsWhatCitusNeeds(@TempDir Path dir) throws Exception {
        PgConfigFiles files = new PgConfigFiles(config(dir, "citus: {group: 1, database: citus}\n"), new OsUser(null));
        DynamicConfig dynamic = DynamicConfig.parse(3, ConfigTree.of(Map.of("postgresql", Map.of("parameters",
                Map.of("shared_preload_libraries", "pg_stat_statements, citus", "max_connections", "150"))))).config();

        Map<String, String> settings = files.fileSettings(dynamic, null);
        assertThat(settings).as("citus first, once").containsEntry("shared_preload_libraries", "citus,pg_stat_statements")
                .containsEntry("citus.local_hostname", "127.0.0.1");
        assertThat(files.clusterWide(dynamic)).containsEntry("wal_level", "logical")
                .as("twice max_connections").containsEntry("max_prepared_transactions", "300");
        assertThat(String.join(" ", files.commandLine(dynamic))).contains("-c wal_level=logical")
                .contains("-c max_prepared_transactions=300");
    }

    @Test
    void aPlainMemberKeepsItsSettings(@TempDir Path dir) throws Exception {
        PgConfigFiles files = new PgConfigFiles(config(dir), new OsUser(null));

        assertThat(files.fileSettings(dynamic(), null)).doesNotContainKeys("shared_preload_libraries", "citus.local_hostname");
        assertThat(files.clusterWide(dynamic())).doesNotContainEntry("wal_level", "logical");
    }
}
