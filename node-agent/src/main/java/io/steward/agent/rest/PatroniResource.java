package io.steward.agent.rest;

import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.steward.agent.NodeAgent;

/** {@code GET /patroni}: the member's status with Patroni's field names, always 200. */
@Path("/patroni")
@Produces(MediaType.APPLICATION_JSON)
public final class PatroniResource {

    private final NodeAgent agent;

    public PatroniResource(NodeAgent agent) {
        this.agent = agent;
    }

    @GET
    public Map<String, Object> status() {
        return StatusDocument.of(agent, agent.status());
    }
}
