package io.steward.decider.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.dropwizard.core.Configuration;
import io.steward.core.decide.DecisionPolicy;

/**
 * The decision service's YAML: Dropwizard's {@code server:} and {@code logging:} sections plus
 * Steward's. Unknown keys are errors with a "did you mean" (Dropwizard's parser), and each value
 * is checked on start and by {@code steward-decider check decider.yml}.
 *
 * <pre>
 * instance: decider-1
 * kafka:
 *   bootstrap_servers: 10.0.0.5:9092
 *   topic_prefix: steward.
 *   partitions: 12
 * etcd:
 *   hosts: [10.0.0.1:2379, 10.0.0.2:2379]
 * leadership:
 *   ttl: 4
 *   safety_margin: 1
 * </pre>
 */
public class DeciderConfiguration extends Configuration {

    /** This instance's name in the log (DeciderElected) and in etcd; defaults to the host name. */
    @JsonProperty("instance")
    private String instance;

    @Valid
    @NotNull
    @JsonProperty("kafka")
    private KafkaSettings kafka = new KafkaSettings();

    @Valid
    @NotNull
    @JsonProperty("etcd")
    private EtcdSettings etcd = new EtcdSettings();

    @Valid
    @NotNull
    @JsonProperty("leadership")
    private LeadershipSettings leadership = new LeadershipSettings();

    @Valid
    @NotNull
    @JsonProperty("loop")
    private LoopSettings loop = new LoopSettings();

    @Valid
    @NotNull
    @JsonProperty("policy")
    private PolicySettings policy = new PolicySettings();

    @Valid
    @NotNull
    @JsonProperty("admission")
    private AdmissionSettings admission = new AdmissionSettings();

    public String instance() {
        if (instance != null && !instance.isBlank()) {
            return instance;
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "decider";
        }
    }

    public KafkaSettings kafka() {
        return kafka;
    }

    public EtcdSettings etcd() {
        return etcd;
    }

    public LeadershipSettings leadership() {
        return leadership;
    }

    public LoopSettings loop() {
        return loop;
    }

    public PolicySettings policy() {
        return policy;
    }

    public AdmissionSettings admission() {
        return admission;
    }

    /**
     * How facts handed in on the facts topic are admitted into the log (ADR 7).
     *
     * <p>{@code secret_file}: the deciders' secret (base64, at least 32 bytes), from which every
     * writer's key is derived ({@code steward-decider writer-key}); readable by its owner only. Without
     * it, facts are admitted unsealed (a trial installation, the tests).
     */
    public static class AdmissionSettings {
        @JsonProperty("secret_file")
        private String secretFile;

        public java.nio.file.Path secretFile() {
            return secretFile == null || secretFile.isBlank() ? null : java.nio.file.Path.of(secretFile);
        }
    }

    /** Where the log is, and how its topics are made when they do not exist yet. */
    public static class KafkaSettings extends KafkaClientSettings {
        /** Partitions of the log and commands topics when this service creates them; fixed afterwards. */
        @Min(1)
        @JsonProperty("partitions")
        private int partitions = 12;

        @Min(1)
        @JsonProperty("replication_factor")
        private short replicationFactor = 1;

        public int partitions() {
            return partitions;
        }

        public short replicationFactor() {
            return replicationFactor;
        }
    }

    /** The etcd cluster holding the election and the members' leader keys. */
    public static class EtcdSettings {
        @NotEmpty
        @JsonProperty("hosts")
        private List<String> hosts = List.of("127.0.0.1:2379");

        @NotNull
        @JsonProperty("protocol")
        private String protocol = "http";

        @JsonProperty("username")
        private String username;

        @JsonProperty("password")
        private String password;

        /** The members' key prefix (Patroni's {@code namespace}); leader keys are {@code <namespace><scope>/<group>/leader}. */
        @NotEmpty
        @JsonProperty("namespace")
        private String namespace = "/service/";

        /** The election the decision service instances campaign in. */
        @NotEmpty
        @JsonProperty("election")
        private String election = "/steward/decider";

        /** Refused here rather than connecting in plain text to a configuration that asks for TLS. */
        @com.fasterxml.jackson.annotation.JsonIgnore
        @jakarta.validation.constraints.AssertTrue(message = "etcd.protocol: TLS to etcd is not supported yet; use http")
        public boolean isPlainProtocol() {
            return "http".equals(protocol) && hosts.stream().noneMatch(host -> host.startsWith("https://"));
        }

        public List<String> endpoints() {
            return hosts.stream().map(host -> host.contains("://") ? host : protocol + "://" + host).toList();
        }

        public String username() {
            return username;
        }

        public String password() {
            return password;
        }

        public String namespace() {
            String withSlash = namespace.startsWith("/") ? namespace : "/" + namespace;
            return withSlash.endsWith("/") ? withSlash : withSlash + "/";
        }

        public String election() {
            return election;
        }
    }

    /** The leadership lease: who may write, and when it must stop. */
    public static class LeadershipSettings {
        /** The election lease's time to live, in seconds (etcd works in whole seconds; at least 2). */
        @Min(2)
        @JsonProperty("ttl")
        private int ttl = 4;

        /** Stop writing this long before the lease could expire, in seconds. */
        @Min(0)
        @JsonProperty("safety_margin")
        private double safetyMargin = 1.0;

        public Duration ttl() {
            return Duration.ofSeconds(ttl);
        }

        public Duration safetyMargin() {
            Duration margin = Duration.ofMillis((long) (safetyMargin * 1000));
            return margin.compareTo(ttl().dividedBy(2)) > 0 ? ttl().dividedBy(2) : margin;
        }
    }

    /** The consume-fold-decide-produce loop. */
    public static class LoopSettings {
        /** How often the leader writes a tick to every partition, so log time advances when agents are quiet. */
        @Min(50)
        @JsonProperty("tick_interval_ms")
        private long tickIntervalMs = 500;

        /** How often changed partitions are snapshotted. */
        @Min(1)
        @JsonProperty("snapshot_interval_s")
        private long snapshotIntervalS = 10;

        public Duration tickInterval() {
            return Duration.ofMillis(tickIntervalMs);
        }

        public Duration snapshotInterval() {
            return Duration.ofSeconds(snapshotIntervalS);
        }
    }

    /** The decider's own thresholds (each group's dynamic configuration holds the rest). */
    public static class PolicySettings {
        @Min(1)
        @JsonProperty("command_timeout_s")
        private long commandTimeoutS = DecisionPolicy.DEFAULT.commandTimeout().toSeconds();

        @Min(1)
        @JsonProperty("long_command_timeout_s")
        private long longCommandTimeoutS = DecisionPolicy.DEFAULT.longCommandTimeout().toSeconds();

        @Min(0)
        @JsonProperty("retry_backoff_s")
        private long retryBackoffS = DecisionPolicy.DEFAULT.retryBackoff().toSeconds();

        @Min(1)
        @JsonProperty("stale_schedule_s")
        private long staleScheduleS = DecisionPolicy.DEFAULT.staleSchedule().toSeconds();

        @Min(1)
        @JsonProperty("manual_failover_wait_s")
        private long manualFailoverWaitS = DecisionPolicy.DEFAULT.manualFailoverWait().toSeconds();

        @Min(0)
        @JsonProperty("citus_pause_wait_ms")
        private long citusPauseWaitMs = DecisionPolicy.DEFAULT.citusPauseWait().toMillis();

        public DecisionPolicy toPolicy() {
            return new DecisionPolicy(Duration.ofSeconds(commandTimeoutS), Duration.ofSeconds(longCommandTimeoutS),
                    Duration.ofSeconds(retryBackoffS), Duration.ofSeconds(staleScheduleS),
                    Duration.ofSeconds(manualFailoverWaitS), Duration.ofMillis(citusPauseWaitMs));
        }
    }
}
