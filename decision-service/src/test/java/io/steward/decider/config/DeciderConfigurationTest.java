package io.steward.decider.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.dropwizard.configuration.ConfigurationException;
import io.dropwizard.configuration.ResourceConfigurationSourceProvider;
import io.dropwizard.configuration.ConfigurationFactory;
import io.dropwizard.configuration.DefaultConfigurationFactoryFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;

/** The decision service's YAML: read with Dropwizard's parser, which names unknown keys and bad values. */
class DeciderConfigurationTest {

    /** The factory the application uses: unknown keys are errors. */
    private final ConfigurationFactory<DeciderConfiguration> factory = new DefaultConfigurationFactoryFactory<DeciderConfiguration>()
            .create(DeciderConfiguration.class, Validators.newValidator(), Jackson.newObjectMapper(), "dw");

    private DeciderConfiguration read(String yaml) throws Exception {
        return factory.build(path -> new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "decider.yml");
    }

    @Test
    void theExampleFileReads() throws Exception {
        DeciderConfiguration config = factory.build(new ResourceConfigurationSourceProvider(), "configs/decider.yml");

        assertThat(config.instance()).isEqualTo("decider-1");
        assertThat(config.kafka().partitions()).isEqualTo(12);
        assertThat(config.kafka().replicationFactor()).isEqualTo((short) 3);
        assertThat(config.etcd().endpoints()).containsExactly("http://10.0.0.1:2379", "http://10.0.0.2:2379",
                "http://10.0.0.3:2379");
        assertThat(config.leadership().ttl()).isEqualTo(Duration.ofSeconds(4));
        assertThat(config.loop().tickInterval()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void defaultsNeedNoFile() throws Exception {
        DeciderConfiguration config = read("{}");

        assertThat(config.kafka().bootstrapServers()).isEqualTo("127.0.0.1:9092");
        assertThat(config.etcd().namespace()).isEqualTo("/service/");
        assertThat(config.policy().toPolicy()).isEqualTo(io.steward.core.decide.DecisionPolicy.DEFAULT);
    }

    @Test
    void aMisspeltKeyIsAnErrorWithASuggestion() {
        assertThatThrownBy(() -> read("kafka:\n  bootstrap_server: 10.0.0.5:9092\n"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("kafka.bootstrap_server").hasMessageContaining("bootstrap_servers");
    }

    @Test
    void tlsToEtcdIsRefusedRatherThanSilentlyPlain() {
        assertThatThrownBy(() -> read("etcd:\n  protocol: https\n"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("TLS to etcd is not supported yet");
        assertThatThrownBy(() -> read("etcd:\n  hosts: [\"https://10.0.0.1:2379\"]\n"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("TLS to etcd is not supported yet");
    }

    @Test
    void aValueOutOfRangeIsNamed() {
        assertThatThrownBy(() -> read("leadership:\n  ttl: 1\n"))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("leadership.ttl");
    }

    @Test
    void theSafetyMarginNeverExceedsHalfTheTtl() throws Exception {
        assertThat(read("leadership:\n  ttl: 4\n  safety_margin: 3\n").leadership().safetyMargin())
                .isEqualTo(Duration.ofSeconds(2));
    }
}
