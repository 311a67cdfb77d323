package io.steward.agent.rest;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.steward.agent.NodeAgent;
import io.steward.agent.kafka.RequestForwarder.Answer;
import io.steward.core.event.OperatorRequest;
import io.steward.core.event.OperatorRequest.ActionKind;
import io.steward.core.event.OperatorRequest.RequestHeader;
import io.steward.core.event.OperatorRequest.RoleFilter;
import io.steward.core.request.RequestBodies;
import io.steward.core.request.RequestBodies.Invalid;

/**
 * Patroni's mutating endpoints: {@code POST /restart}, {@code /reload}, {@code /reinitialize},
 * {@code /switchover}, {@code /failover}, and {@code DELETE /restart}, {@code /switchover}. Each
 * body is validated here with Patroni's messages (400 or 422), then the request is written to the
 * log, where the decider answers it; the answer (status and reason) is returned as Patroni would
 * return it, and the audit shows who asked.
 */
@Path("/")
@Produces(MediaType.TEXT_PLAIN)
@Consumes({MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN, MediaType.WILDCARD})
public final class OperationsResource {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(15);
    /** How long a switchover or failover may take before the API says its outcome is unknown (Patroni: 20 s). */
    private static final Duration OUTCOME_WAIT = Duration.ofSeconds(20);

    private final NodeAgent agent;

    public OperationsResource(NodeAgent agent) {
        this.agent = agent;
    }

    @POST
    @Path("restart")
    public Response restart(String body, @Context HttpServletRequest http, @Context SecurityContext security) {
        return handle(body, true, fields -> RequestBodies.restart(fields, header(http, security),
                List.of(agent.config().name()), Instant.now(), Set.of()));
    }

    @DELETE
    @Path("restart")
    public Response cancelRestart(@Context HttpServletRequest http, @Context SecurityContext security) {
        return forward(new OperatorRequest.CancelScheduledRequested(header(http, security), ActionKind.RESTART));
    }

    @POST
    @Path("reload")
    public Response reload(String body, @Context HttpServletRequest http, @Context SecurityContext security) {
        return forward(new OperatorRequest.ReloadRequested(header(http, security), List.of(agent.config().name()),
                RoleFilter.ANY));
    }

    @POST
    @Path("reinitialize")
    public Response reinitialize(String body, @Context HttpServletRequest http, @Context SecurityContext security) {
        return handle(body, true, fields -> RequestBodies.reinitialize(fields, header(http, security),
                agent.config().name(), Set.of()));
    }

    @POST
    @Path("switchover")
    public Response switchover(String body, @Context HttpServletRequest http, @Context SecurityContext security) {
        return handle(body, false, fields -> RequestBodies.switchover(fields, header(http, security), Instant.now(),
                Set.of()));
    }

    @POST
    @Path("failover")
    public Response failover(String body, @Context HttpServletRequest http, @Context SecurityContext security) {
        return handle(body, false, fields -> RequestBodies.failover(fields, header(http, security), Set.of()));
    }

    @DELETE
    @Path("switchover")
    public Response cancelSwitchover(@Context HttpServletRequest http, @Context SecurityContext security) {
        return forward(new OperatorRequest.CancelScheduledRequested(header(http, security), ActionKind.SWITCHOVER));
    }

    // ---- plumbing ---------------------------------------------------------------------------

    private interface RequestBuilder {
        OperatorRequest build(Map<String, Object> fields);
    }

    private Response handle(String body, boolean emptyAllowed, RequestBuilder builder) {
        try {
            return forward(builder.build(parse(body, emptyAllowed)));
        } catch (Invalid e) {
            return Response.status(e.status()).entity(e.getMessage()).build();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(String body, boolean emptyAllowed) {
        if (body == null || body.isBlank()) {
            if (emptyAllowed) {
                return Map.of();
            }
            throw new Invalid(400, "the request needs a JSON object body");
        }
        try {
            Object value = JSON.readValue(body, Object.class);
            if (!(value instanceof Map<?, ?> map)) {
                throw new Invalid(400, "the body must be a JSON object, got: " + abbreviate(body));
            }
            return (Map<String, Object>) map;
        } catch (JsonProcessingException e) {
            throw new Invalid(400, "the body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private Response forward(OperatorRequest request) {
        String leaderBefore = request instanceof OperatorRequest.FailoverRequested ? agent.leaseHolder() : null;
        Answer answer = agent.requests().forward(request, WAIT);
        if (answer.status() == 202) {
            switch (request) {
                case OperatorRequest.SwitchoverRequested s when s.scheduledAt() == null:
                    return awaitNewLeader(s.leader(), s.candidate(), "switch");
                case OperatorRequest.FailoverRequested f:
                    return awaitNewLeader(leaderBefore, f.candidate(), "fail");
                default:
                    break;
            }
        }
        return Response.status(answer.status()).entity(answer.message()).build();
    }

    /**
     * As Patroni's API does, answers a started switchover or failover only once the leader key has
     * a new holder: 200 "Successfully switched over to ...", or 503 when that takes longer than
     * {@link #OUTCOME_WAIT}.
     */
    private Response awaitNewLeader(String oldLeader, String candidate, String verb) {
        long deadline = System.nanoTime() + OUTCOME_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            String holder = agent.leaseHolderOrNull();
            if (holder != null && !holder.equals(oldLeader)) {
                String message = candidate == null || candidate.equals(holder)
                        ? "Successfully " + verb + "ed over to \"" + holder + "\""
                        : capitalized(verb) + "ed over to \"" + holder + "\" instead of \"" + candidate + "\"";
                return Response.ok(message).build();
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return Response.status(503).entity(capitalized(verb) + "over status unknown").build();
    }

    private static String capitalized(String word) {
        return Character.toUpperCase(word.charAt(0)) + word.substring(1);
    }

    private RequestHeader header(HttpServletRequest http, SecurityContext security) {
        String actor = security != null && security.getUserPrincipal() != null
                ? security.getUserPrincipal().getName() + "@api:" + http.getRemoteAddr()
                : "api:" + http.getRemoteAddr();
        return new RequestHeader(UUID.randomUUID().toString(), actor, agent.config().group());
    }

    private static String abbreviate(String body) {
        return body.length() > 60 ? body.substring(0, 60) + "..." : body;
    }
}
