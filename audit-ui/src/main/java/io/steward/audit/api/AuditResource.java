package io.steward.audit.api;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.steward.audit.log.LogStore;
import io.steward.audit.view.ConfigHistory;
import io.steward.audit.view.FailoverStories;
import io.steward.audit.view.Fleet;
import io.steward.audit.view.LagSeries;
import io.steward.audit.view.Timeline;
import io.steward.audit.view.Verification;
import io.steward.core.decide.DecisionPolicy;
import io.steward.core.model.GroupId;
import io.steward.core.state.ClusterState;

/**
 * The audit's JSON API: the fleet (now or at {@code ?at=}), a scope's topology, the timeline, the
 * story of each change of leader, the configuration history, lag over time, and the verification
 * of every recorded decision against the current decision function. Bad parameters get a 400 that
 * says which and why.
 */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public final class AuditResource {

    private final LogStore store;
    private final DecisionPolicy policy;
    private final java.util.function.BooleanSupplier caughtUp;

    public AuditResource(LogStore store, DecisionPolicy policy, java.util.function.BooleanSupplier caughtUp) {
        this.store = store;
        this.policy = policy;
        this.caughtUp = caughtUp;
    }

    @GET
    @Path("/fleet")
    public Map<String, Object> fleet(@QueryParam("at") String at) {
        Instant instant = instant("at", at);
        ClusterState state = instant == null ? store.state() : store.stateAt(instant);
        Map<String, Object> view = new LinkedHashMap<>(Fleet.of(state));
        view.putAll(about(instant));
        return view;
    }

    @GET
    @Path("/scopes/{scope}")
    public Map<String, Object> scope(@PathParam("scope") String scope, @QueryParam("at") String at) {
        Instant instant = instant("at", at);
        ClusterState state = instant == null ? store.state() : store.stateAt(instant);
        if (!state.scopes().contains(scope) && instant == null) {
            throw bad(Response.Status.NOT_FOUND, "no scope '" + scope + "' in the log");
        }
        Map<String, Object> view = new LinkedHashMap<>(Fleet.scope(state, scope));
        view.putAll(about(instant));
        return view;
    }

    @GET
    @Path("/timeline")
    public Map<String, Object> timeline(@QueryParam("scope") String scope, @QueryParam("group") Integer group,
                                        @QueryParam("member") String member, @QueryParam("kind") List<String> kinds,
                                        @QueryParam("from") String from, @QueryParam("to") String to,
                                        @QueryParam("before") Integer before, @QueryParam("limit") Integer limit) {
        if (group != null && scope == null) {
            throw bad(Response.Status.BAD_REQUEST, "group needs scope");
        }
        Set<String> wanted = new java.util.TreeSet<>();
        for (String kind : kinds) {
            for (String part : kind.split(",")) {
                if (!part.isBlank()) {
                    wanted.add(part.trim());
                }
            }
        }
        return new Timeline(scope, group, blankToNull(member), wanted, instant("from", from), instant("to", to), before,
                limit == null ? 50 : limit).page(store);
    }

    @GET
    @Path("/failovers")
    public List<Map<String, Object>> failovers() {
        return FailoverStories.list(store);
    }

    @GET
    @Path("/failovers/{index}")
    public Map<String, Object> failover(@PathParam("index") int index) {
        if (index < 0 || index >= store.size()) {
            throw bad(Response.Status.NOT_FOUND, "no record " + index);
        }
        try {
            return FailoverStories.story(store, index);
        } catch (IllegalArgumentException e) {
            throw bad(Response.Status.NOT_FOUND, e.getMessage());
        }
    }

    @GET
    @Path("/config-history")
    public List<Map<String, Object>> configHistory(@QueryParam("scope") String scope) {
        return ConfigHistory.of(store, blankToNull(scope));
    }

    @GET
    @Path("/lag")
    public Map<String, Object> lag(@QueryParam("scope") String scope, @QueryParam("group") Integer group,
                                   @QueryParam("from") String from, @QueryParam("to") String to) {
        if (scope == null) {
            throw bad(Response.Status.BAD_REQUEST, "scope is required");
        }
        return LagSeries.of(store, new GroupId(scope, group == null ? 0 : group), instant("from", from),
                instant("to", to));
    }

    @POST
    @Path("/verify")
    public Map<String, Object> verify() {
        return Verification.run(store, policy);
    }

    /** How much of the log the answer covers. */
    private Map<String, Object> about(Instant at) {
        Map<String, Object> about = new LinkedHashMap<>();
        about.put("at", at == null ? null : at.toString());
        about.put("records", store.size());
        Instant[] span = store.span();
        about.put("first", span == null ? null : span[0].toString());
        about.put("last", span == null ? null : span[1].toString());
        about.put("caught_up", caughtUp.getAsBoolean());
        return about;
    }

    private static Instant instant(String name, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(text.trim());
        } catch (DateTimeParseException e) {
            try {
                return Instant.ofEpochMilli(Long.parseLong(text.trim()));
            } catch (NumberFormatException notMillis) {
                throw bad(Response.Status.BAD_REQUEST, name + " must be an ISO-8601 instant (2026-11-21T03:12:07Z) "
                        + "or epoch milliseconds, got '" + text + "'");
            }
        }
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.trim();
    }

    private static WebApplicationException bad(Response.Status status, String message) {
        return new WebApplicationException(message, Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("code", status.getStatusCode(), "message", message)).build());
    }
}
