package io.steward.agent.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.steward.core.config.ConfigTree;
import io.steward.core.model.GroupId;
import io.steward.core.model.Tags;

/**
 * A member's local configuration: Patroni's YAML plus the {@code kafka:} section, after the
 * environment's overrides, validated. Immutable.
 *
 * @param scope      the cluster (for Citus, the whole Citus cluster)
 * @param namespace  the etcd key prefix (Patroni's default {@code /service/})
 * @param name       this member's name, unique in the scope
 * @param restapi    the REST API
 * @param etcd       where the leader lease lives
 * @param kafka      where the log and the commands are
 * @param bootstrap  how a new cluster is created
 * @param postgresql the local PostgreSQL instance
 * @param tags       this member's tags
 * @param safetyMargin the primary stops accepting writes this long before its lease could expire
 * @param watchdogDirectory where the fencing watchdog's deadline and script live, or null for the
 *                   default (see {@code io.steward.agent.postgres.WatchdogDirectory})
 * @param citus      the Citus group and database, or null for plain PostgreSQL
 * @param logLevel   the agent's log level
 */
public record AgentConfig(String scope, String namespace, String name, RestApi restapi, Etcd etcd, Kafka kafka,
                          Bootstrap bootstrap, Postgres postgresql, Tags tags, Duration safetyMargin,
                          Path watchdogDirectory, Citus citus, String logLevel) {

    /** The HA group this member belongs to. */
    public GroupId group() {
        return new GroupId(scope, citus == null ? 0 : citus.group());
    }

    /** A host and a port. */
    public record HostPort(String host, int port) {
        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    /**
     * The REST API: where it listens, how it is reached, who may change things.
     *
     * @param allowlist hosts or CIDRs allowed to call the mutating endpoints; empty allows everyone
     */
    public record RestApi(HostPort listen, HostPort connectAddress, String username, String password,
                          List<String> allowlist, Path certfile, Path keyfile, String keyfilePassword, Path cafile) {
        public boolean tls() {
            return certfile != null;
        }

        /** Patroni's {@code api_url}. */
        public String url() {
            return (tls() ? "https://" : "http://") + connectAddress;
        }
    }

    /** The etcd cluster: client URLs and credentials. */
    public record Etcd(List<String> endpoints, String username, String password) {
    }

    /**
     * Kafka: where the log and the commands are.
     *
     * @param heartbeatInterval how often the agent reports its instance
     * @param properties        extra client settings (security.protocol, sasl.*, ssl.*)
     * @param writerKeyFile     the key this member seals its facts with ({@code steward-decider
     *                          writer-key}), or null to hand them in unsealed
     */
    public record Kafka(String bootstrapServers, String topicPrefix, Duration heartbeatInterval,
                        Map<String, String> properties, Path writerKeyFile) {
    }

    /**
     * How a new cluster is created.
     *
     * @param dcs           the group's first dynamic configuration
     * @param initdbOptions initdb's options, as command-line arguments
     * @param pgHba         pg_hba.conf lines written at bootstrap
     */
    public record Bootstrap(ConfigTree dcs, List<String> initdbOptions, List<String> pgHba) {
    }

    /** A PostgreSQL role the agent uses. */
    public record Credentials(String username, String password, String sslmode, String sslkey, String sslcert,
                              String sslrootcert) {
    }

    /**
     * The local PostgreSQL instance.
     *
     * @param listenHosts   {@code listen_addresses}
     * @param port          the port it listens on
     * @param connectAddress how other members and clients reach it
     * @param parameters    local settings; they win over the dynamic ones, except cluster-wide ones
     * @param pgHba         pg_hba.conf lines; empty keeps the file as it is
     * @param osUser        the OS user PostgreSQL runs as when the agent runs as root
     */
    public record Postgres(List<String> listenHosts, int port, HostPort connectAddress, Path dataDir, Path binDir,
                           Path configDir, Path pgpass, Credentials superuser, Credentials replication,
                           Credentials rewind, Map<String, String> parameters, List<String> pgHba,
                           Duration pgCtlTimeout, boolean useUnixSocket, boolean removeDataDirectoryOnRewindFailure,
                           boolean removeDataDirectoryOnDivergedTimelines, List<String> basebackupOptions,
                           String osUser) {
    }

    /** The Citus group (0 for the coordinator) and the distributed database. */
    public record Citus(int group, String database) {
    }
}
