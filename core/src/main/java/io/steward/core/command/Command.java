package io.steward.core.command;

import java.util.List;

import io.steward.core.config.ConfigTree;
import io.steward.core.model.Endpoints;
import io.steward.core.model.Lsn;

/**
 * An instruction from the decider to one agent, an imperative. Commands travel on the commands
 * topic; each is also recorded in the log as a {@code CommandIssued} event, and agents answer each
 * with a {@code CommandOutcome}.
 */
public sealed interface Command {

    CommandHeader header();

    /** The command's name as operators read it ("promote"). */
    String kind();

    default String id() {
        return header().id();
    }

    default String member() {
        return header().member();
    }

    /** Create a new cluster here: initdb (or adopt the existing data directory) and start as primary. */
    record Bootstrap(CommandHeader header, boolean adoptExistingData) implements Command {
        public String kind() {
            return "bootstrap";
        }
    }

    /** Create this member's data directory with pg_basebackup from {@code source} and follow the leader. */
    record Clone(CommandHeader header, String source, Endpoints sourceEndpoints, String leader,
                 Endpoints leaderEndpoints, String slot) implements Command {
        public String kind() {
            return "clone";
        }
    }

    /**
     * Run as a standby streaming from {@code upstream} (the leader, or a {@code replicatefrom}
     * member) through {@code slot}; start PostgreSQL if it is stopped. A former primary whose history
     * diverged is rewound first when {@code rewindIfDiverged} (else it reports the divergence).
     */
    record Follow(CommandHeader header, String upstream, Endpoints upstreamEndpoints, String slot,
                  boolean rewindIfDiverged) implements Command {
        public String kind() {
            return "follow";
        }
    }

    /**
     * Become the primary: take the group's leader lease in etcd, then promote (or start a stopped
     * primary in place). With {@code requireLsn} set (a switchover), first wait until this member has
     * received at least that position, so no committed transaction is lost.
     */
    record Promote(CommandHeader header, Lsn requireLsn) implements Command {
        public String kind() {
            return "promote";
        }
    }

    /**
     * Stop being the primary and release the leader lease. {@code GRACEFUL}: fast shutdown with a
     * checkpoint, report the shutdown checkpoint position (a switchover); {@code IMMEDIATE}: stop at once.
     */
    record Demote(CommandHeader header, DemoteMode mode) implements Command {
        public String kind() {
            return "demote";
        }
    }

    /** How a primary stops when demoted. */
    enum DemoteMode { GRACEFUL, IMMEDIATE }

    /** Restart PostgreSQL in its current role; {@code timeoutSeconds} bounds the start (null: the default). */
    record Restart(CommandHeader header, Integer timeoutSeconds, String reason) implements Command {
        public String kind() {
            return "restart";
        }
    }

    /** Reload PostgreSQL's configuration (SIGHUP). */
    record Reload(CommandHeader header) implements Command {
        public String kind() {
            return "reload";
        }
    }

    /** Wipe the data directory and clone again from {@code source}. */
    record Reinitialize(CommandHeader header, String source, Endpoints sourceEndpoints, String leader,
                        Endpoints leaderEndpoints, String slot) implements Command {
        public String kind() {
            return "reinitialize";
        }
    }

    /** Stop, pg_rewind from {@code source}, and start as its standby. */
    record Rewind(CommandHeader header, String source, Endpoints sourceEndpoints, String slot) implements Command {
        public String kind() {
            return "rewind";
        }
    }

    /** Apply dynamic configuration {@code version} (PostgreSQL settings, pg_hba, ttl, ...). */
    record ApplyConfiguration(CommandHeader header, long version, ConfigTree config) implements Command {
        public String kind() {
            return "apply-configuration";
        }
    }

    /**
     * On the primary, set {@code synchronous_standby_names}: {@code FIRST n (names)}, or
     * {@code ANY n (names)} in quorum mode; an empty list turns synchronous replication off, unless
     * {@code placeholder} asks to block commits (strict mode with no standby).
     */
    record SetSynchronousStandbys(CommandHeader header, List<String> standbys, int count, boolean quorum,
                                  boolean placeholder) implements Command {
        public SetSynchronousStandbys {
            standbys = List.copyOf(standbys);
        }

        public String kind() {
            return "set-synchronous-standbys";
        }
    }
}
