package io.steward.audit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import io.dropwizard.configuration.ConfigurationException;
import io.dropwizard.configuration.ConfigurationFactory;
import io.dropwizard.configuration.DefaultConfigurationFactoryFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import io.steward.audit.log.LogFollower;
import io.steward.core.decide.DecisionPolicy;

/** The audit UI's YAML, read as the application reads it: unknown keys and bad values are errors. */
class AuditUiConfigurationTest {

    private final ConfigurationFactory<AuditUiConfiguration> factory = new DefaultConfigurationFactoryFactory<AuditUiConfiguration>()
            .create(AuditUiConfiguration.class, Validators.newValidator(), Jackson.newObjectMapper(), "dw");

    private AuditUiConfiguration read(String yaml) throws Exception {
        return factory.build(path -> new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "audit-ui.yml");
    }

    @Test
    void theComposeFileReads() throws Exception {
        String yaml = Files.readString(Path.of("..", "compose", "audit-ui.yml"));
        AuditUiConfiguration config = read(yaml);
        assertThat(config.start()).isEqualTo(LogFollower.Start.BEGINNING);
        assertThat(config.policy().toPolicy()).isEqualTo(DecisionPolicy.DEFAULT);
        assertThat(config.alerting().webhookUrl()).isNull();
        assertThat(config.alerting().lagThresholdBytes()).isEqualTo(16L << 20);
    }

    @Test
    void aMisspeltKeyIsAnErrorWithASuggestion() {
        assertThatThrownBy(() -> read("alerting:\n  webhook: http://am:9093/api/v2/alerts\n"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("alerting.webhook").hasMessageContaining("webhook_url");
    }

    @Test
    void anUnknownStartIsAnError() {
        assertThatThrownBy(() -> read("start: yesterday\n")).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("start");
    }
}
