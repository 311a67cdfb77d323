package io.steward.decider.config;

import java.util.Map;
import java.util.TreeMap;

import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Where the log is, for a service that reads it (the audit UI) or also writes it (the decider). */
public class KafkaClientSettings {

    @NotEmpty
    @JsonProperty("bootstrap_servers")
    private String bootstrapServers = "127.0.0.1:9092";

    @NotNull
    @JsonProperty("topic_prefix")
    private String topicPrefix = "steward.";

    /** Extra client settings passed as they are (security.protocol, sasl.*, ssl.*). */
    @NotNull
    @JsonProperty("properties")
    private Map<String, String> properties = new TreeMap<>();

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public String topicPrefix() {
        return topicPrefix;
    }

    public Map<String, String> properties() {
        return properties;
    }
}
