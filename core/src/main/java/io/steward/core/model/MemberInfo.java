package io.steward.core.model;

import java.util.Objects;

/**
 * What a member says about itself when it registers (and repeats in its heartbeats).
 *
 * @param incarnation a fresh id each time the agent starts; heartbeat sequence numbers count within it
 * @param endpoints   where its REST API and PostgreSQL are reached
 * @param tags        its tags
 * @param version     the agent's and PostgreSQL's version, for instance "steward 0.1.0, PostgreSQL 15.18"
 */
public record MemberInfo(String incarnation, Endpoints endpoints, Tags tags, String version) {

    public MemberInfo {
        Objects.requireNonNull(incarnation, "incarnation");
        Objects.requireNonNull(endpoints, "endpoints");
        Objects.requireNonNull(tags, "tags");
    }
}
