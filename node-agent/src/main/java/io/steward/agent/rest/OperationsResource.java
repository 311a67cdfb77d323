package io.steward.agent.rest;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
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

    private final NodeAgent agent;

    public OperationsResource(NodeAgent agent) {
        this.agent = agent;
    }

    @POST
    @Path("restart")
    public Response restart(String body, @Context HttpServletRequest http, @Context SecurityContext security) {
        return handle(body, true, Set.of("schedule", "role", "postgres_version", "timeout", "restart_pending"),
                "Unknown filter for the scheduled restart: ", fields -> {
                    RoleFilter role = switch (String.valueOf(fields.getOrDefault("role", "any")).toLowerCase()) {
                        case "primary", "master" -> RoleFilter.PRIMARY;
                        case "replica" -> RoleFilter.REPLICA;
                        case "any" -> RoleFilter.ANY;
                        default -> throw new Invalid(400, "PostgreSQL role should be either primary, standby_leader, or replica");
                    };
                    Integer timeout = null;
                    if (fields.containsKey("timeout")) {
                        timeout = positiveSeconds(fields.get("timeout"));
                    }
                    Instant at = schedule(fields.get("schedule"), "restart");
                    String version = fields.get("postgres_version") == null ? null : String.valueOf(fields.get("postgres_version"));
                    if (version != null && !version.matches("\\d+(\\.\\d+){0,2}")) {
                        throw new Invalid(400, "postgres_version must look like 15 or 15.4, got '" + version + "'");
                    }
                    return new OperatorRequest.RestartRequested(header(http, security), List.of(agent.config().name()), role,
                            Boolean.TRUE.equals(fields.get("restart_pending")), at, version, timeout);
                }, http, security);
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
        return handle(body, true, Set.of("force", "from_leader"), "Unknown option for reinitialize: ", fields ->
                new OperatorRequest.ReinitializeRequested(header(http, security), agent.config().name(),
                        Boolean.TRUE.equals(fields.get("force")), Boolean.TRUE.equals(fields.get("from_leader"))),
                http, security);
    }

    @POST
    @Path("switchover")
    public Response switchover(String body, @Context HttpServletRequest http, @Context SecurityContext security) {
        return handle(body, false, Set.of("leader", "candidate", "scheduled_at", "member"), "Unknown field: ", fields -> {
            String leader = text(fields.get("leader"));
            if (leader == null) {
                throw new Invalid(400, "Switchover could be performed only from a specific leader");
            }
            String candidate = text(fields.containsKey("candidate") ? fields.get("candidate") : fields.get("member"));
            return new OperatorRequest.SwitchoverRequested(header(http, security), leader, candidate,
                    schedule(fields.get("scheduled_at"), "switchover"));
        }, http, security);
    }

    @POST
    @Path("failover")
    public Response failover(String body, @Context HttpServletRequest http, @Context SecurityContext security) {
        return handle(body, false, Set.of("leader", "candidate", "scheduled_at", "member"), "Unknown field: ", fields -> {
            String candidate = text(fields.containsKey("candidate") ? fields.get("candidate") : fields.get("member"));
            if (candidate == null) {
                throw new Invalid(400, "Failover could be performed only to a specific candidate");
            }
            if (fields.get("scheduled_at") != null) {
                throw new Invalid(400, "Failover can't be scheduled");
            }
            String leader = text(fields.get("leader"));
            return leader != null
                    ? new OperatorRequest.SwitchoverRequested(header(http, security), leader, candidate, null)
                    : new OperatorRequest.FailoverRequested(header(http, security), candidate);
        }, http, security);
    }

    @DELETE
    @Path("switchover")
    public Response cancelSwitchover(@Context HttpServletRequest http, @Context SecurityContext security) {
        return forward(new OperatorRequest.CancelScheduledRequested(header(http, security), ActionKind.SWITCHOVER));
    }

    // ---- plumbing ---------------------------------------------------------------------------

    /** A request body that cannot be accepted, with Patroni's status and message. */
    static final class Invalid extends RuntimeException {
        final int status;

        Invalid(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private interface RequestBuilder {
        OperatorRequest build(Map<String, Object> fields);
    }

    private Response handle(String body, boolean emptyAllowed, Set<String> known, String unknownMessage,
                            RequestBuilder builder, HttpServletRequest http, SecurityContext security) {
        try {
            Map<String, Object> fields = parse(body, emptyAllowed);
            for (String key : fields.keySet()) {
                if (!known.contains(key)) {
                    throw new Invalid(400, unknownMessage + key);
                }
            }
            return forward(builder.build(fields));
        } catch (Invalid e) {
            return Response.status(e.status).entity(e.getMessage()).build();
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
        Answer answer = agent.requests().forward(request, WAIT);
        return Response.status(answer.status()).entity(answer.message()).build();
    }

    private RequestHeader header(HttpServletRequest http, SecurityContext security) {
        String actor = security != null && security.getUserPrincipal() != null
                ? security.getUserPrincipal().getName() + "@api:" + http.getRemoteAddr()
                : "api:" + http.getRemoteAddr();
        return new RequestHeader(UUID.randomUUID().toString(), actor, agent.config().group());
    }

    private static Instant schedule(Object value, String what) {
        if (value == null) {
            return null;
        }
        String text = String.valueOf(value).strip();
        if (text.equalsIgnoreCase("now") || text.isEmpty()) {
            return null;
        }
        Instant at;
        try {
            at = OffsetDateTime.parse(text.replace(' ', 'T')).toInstant();
        } catch (DateTimeParseException e) {
            if (text.matches("\\d{4}-\\d{2}-\\d{2}[ T]\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?")) {
                throw new Invalid(400, "Timezone information is mandatory for the scheduled " + what);
            }
            throw new Invalid(422, "Unable to parse scheduled timestamp. It should be in an unambiguous format, e.g. "
                    + "ISO 8601");
        }
        if (at.isBefore(Instant.now())) {
            throw new Invalid(422, "Cannot schedule " + what + " in the past");
        }
        return at;
    }

    private static Integer positiveSeconds(Object value) {
        try {
            double seconds = Double.parseDouble(String.valueOf(value));
            if (seconds <= 0) {
                throw new NumberFormatException();
            }
            return (int) Math.ceil(seconds);
        } catch (NumberFormatException e) {
            throw new Invalid(400, "Timeout should be a positive number of seconds");
        }
    }

    private static String text(Object value) {
        return value == null || String.valueOf(value).isBlank() ? null : String.valueOf(value);
    }

    private static String abbreviate(String body) {
        return body.length() > 60 ? body.substring(0, 60) + "..." : body;
    }
}
