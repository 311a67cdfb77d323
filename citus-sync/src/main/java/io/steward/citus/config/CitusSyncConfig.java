package io.steward.citus.config;

import java.util.Map;
import java.util.Objects;

/**
 * citus-sync's settings.
 *
 * @param name               this instance, in its reports
 * @param scope              the Citus cluster (the agents' {@code scope})
 * @param database           the distributed database ({@code citus.database} of the members)
 * @param lockCooldownMillis {@code lock_cooldown} of {@code citus_update_node}: after it, backends
 *                           still holding the node's locks are terminated (Patroni: 10 s)
 * @param pauseTimeout       how long statements to a worker group changing leader may wait for its
 *                           new primary before the pause is given up (Patroni: ttl)
 * @param bootstrapServers   Kafka
 * @param topicPrefix        the log's topic prefix
 * @param kafkaProperties    any further Kafka client properties (security, for instance)
 * @param writerKeyFile      the key it seals its reports with ({@code steward-decider writer-key
 *                           citus-sync}), or null to hand them in unsealed
 * @param superuser          how to log in to the coordinator
 */
public record CitusSyncConfig(String name, String scope, String database, int lockCooldownMillis,
                              java.time.Duration pauseTimeout, String bootstrapServers, String topicPrefix, Map<String, String> kafkaProperties,
                              java.nio.file.Path writerKeyFile, Login superuser) {

    public CitusSyncConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(pauseTimeout, "pauseTimeout");
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(superuser, "superuser");
        kafkaProperties = Map.copyOf(kafkaProperties);
    }

    /** A PostgreSQL login; {@code sslmode} may be null (libpq's default). */
    public record Login(String username, String password, String sslmode) {
        public Login {
            Objects.requireNonNull(username, "username");
        }
    }
}
