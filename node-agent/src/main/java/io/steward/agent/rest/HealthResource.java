package io.steward.agent.rest;

import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import io.steward.agent.NodeAgent;

/**
 * Patroni's health checks for load balancers and orchestrators: {@code GET}, {@code HEAD} and
 * {@code OPTIONS} on {@code /}, {@code /primary}, {@code /replica?lag=16MB&tag_dc=a},
 * {@code /read-only}, {@code /synchronous}, {@code /asynchronous}, {@code /health},
 * {@code /liveness}, {@code /readiness}, ...: 200 when the check passes, 503 when it does not.
 * {@code GET} answers with the member's status (as {@code /patroni}); the others with the status
 * line only, as HAProxy expects.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public final class HealthResource {

    private final NodeAgent agent;

    public HealthResource(NodeAgent agent) {
        this.agent = agent;
    }

    @GET
    public Response root(@Context UriInfo uri) {
        return check("", uri, true);
    }

    @HEAD
    public Response rootHead(@Context UriInfo uri) {
        return check("", uri, false);
    }

    @OPTIONS
    public Response rootOptions(@Context UriInfo uri) {
        return check("", uri, false);
    }

    @GET
    @Path("{check: primary|master|read-write|leader|standby-leader|standby_leader|replica|read-only|synchronous|sync"
            + "|read-only-sync|read-only-synchronous|quorum|read-only-quorum|asynchronous|async|health|liveness|readiness}")
    public Response get(@PathParam("check") String check, @Context UriInfo uri) {
        return check(check, uri, true);
    }

    @HEAD
    @Path("{check: primary|master|read-write|leader|standby-leader|standby_leader|replica|read-only|synchronous|sync"
            + "|read-only-sync|read-only-synchronous|quorum|read-only-quorum|asynchronous|async|health|liveness|readiness}")
    public Response head(@PathParam("check") String check, @Context UriInfo uri) {
        return check(check, uri, false);
    }

    @OPTIONS
    @Path("{check: primary|master|read-write|leader|standby-leader|standby_leader|replica|read-only|synchronous|sync"
            + "|read-only-sync|read-only-synchronous|quorum|read-only-quorum|asynchronous|async|health|liveness|readiness}")
    public Response options(@PathParam("check") String check, @Context UriInfo uri) {
        return check(check, uri, false);
    }

    private Response check(String check, UriInfo uri, boolean withBody) {
        MemberStatus status = agent.status();
        boolean passes = status.passes(check, uri.getQueryParameters());
        Response.ResponseBuilder response = Response.status(passes ? 200 : 503);
        if (withBody && !check.equals("liveness")) {
            Map<String, Object> body = StatusDocument.of(agent, status);
            response.entity(body);
        }
        return response.build();
    }
}
