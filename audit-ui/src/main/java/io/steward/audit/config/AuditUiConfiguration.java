package io.steward.audit.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.dropwizard.core.Configuration;
import io.steward.audit.log.LogFollower;
import io.steward.decider.config.DeciderConfiguration;
import io.steward.decider.config.KafkaClientSettings;

/**
 * The audit UI's YAML: where the log is, where reading starts, the decider's policy (verify replays
 * decisions with it, so it must be the decider's), and where alerts go. Dropwizard's {@code server}
 * section sets the port. Unknown keys are errors.
 *
 * <pre>
 * kafka:
 *   bootstrap_servers: 127.0.0.1:9092
 *   topic_prefix: steward.
 * start: beginning            # or snapshot: the decider's latest snapshots, then the log after them
 * policy: { command_timeout_s: 30 }   # the decider's policy section, unchanged
 * alerting:
 *   webhook_url: http://alertmanager:9093/api/v2/alerts
 *   lag_threshold_bytes: 16777216
 *   paused_too_long_s: 3600
 *   repeat_interval_s: 60
 *   ui_url: http://audit.example:8090
 * </pre>
 */
public class AuditUiConfiguration extends Configuration {

    @Valid
    @NotNull
    @JsonProperty("kafka")
    private KafkaClientSettings kafka = new KafkaClientSettings();

    @NotNull
    @JsonProperty("start")
    private LogFollower.Start start = LogFollower.Start.BEGINNING;

    @Valid
    @NotNull
    @JsonProperty("policy")
    private DeciderConfiguration.PolicySettings policy = new DeciderConfiguration.PolicySettings();

    @Valid
    @NotNull
    @JsonProperty("alerting")
    private AlertingSettings alerting = new AlertingSettings();

    public KafkaClientSettings kafka() {
        return kafka;
    }

    public LogFollower.Start start() {
        return start;
    }

    public DeciderConfiguration.PolicySettings policy() {
        return policy;
    }

    public AlertingSettings alerting() {
        return alerting;
    }

    /** Alerts to an Alertmanager-compatible webhook; no URL, no posting (the metrics still count). */
    public static class AlertingSettings {
        @JsonProperty("webhook_url")
        private String webhookUrl;

        @Min(1)
        @JsonProperty("lag_threshold_bytes")
        private long lagThresholdBytes = 16L * 1024 * 1024;

        @Min(1)
        @JsonProperty("paused_too_long_s")
        private long pausedTooLongS = 3600;

        @Min(0)
        @JsonProperty("repeat_interval_s")
        private long repeatIntervalS = 60;

        @JsonProperty("ui_url")
        private String uiUrl = "http://127.0.0.1:8090";

        public String webhookUrl() {
            return webhookUrl;
        }

        public long lagThresholdBytes() {
            return lagThresholdBytes;
        }

        public long pausedTooLongS() {
            return pausedTooLongS;
        }

        public long repeatIntervalS() {
            return repeatIntervalS;
        }

        public String uiUrl() {
            return uiUrl;
        }
    }
}
