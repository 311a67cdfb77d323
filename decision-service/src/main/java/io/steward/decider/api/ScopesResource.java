package io.steward.decider.api;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.steward.core.config.ConfigTree;
import io.steward.core.event.OperatorRequest;
import io.steward.core.event.OperatorRequest.ActionKind;
import io.steward.core.event.OperatorRequest.RequestHeader;
import io.steward.core.model.GroupId;
import io.steward.core.request.RequestBodies;
import io.steward.core.request.RequestBodies.Invalid;
import io.steward.core.state.ClusterState;
import io.steward.core.state.GroupState;
import io.steward.core.view.ClusterView;
import io.steward.decider.loop.DecisionLoop;
import io.steward.decider.requests.RequestWriter;
import io.steward.decider.requests.RequestWriter.Answer;

/**
 * The operators' API (what {@code stewardctl} calls), over the state this instance has folded:
 * any instance answers reads, and any instance takes requests, which go through the log to the
 * leader and come back with its answer (Patroni's status codes: 200, 202, 400, 409, 412, 422, 503).
 *
 * <pre>
 * GET    /v1/scopes                            scope names
 * GET    /v1/scopes/{scope}                    members, roles, states, lag (Patroni's /cluster)
 * GET    /v1/scopes/{scope}/history?group=     leader changes (Patroni's /history)
 * GET    /v1/scopes/{scope}/config?group=      dynamic configuration with its version
 * PATCH  /v1/scopes/{scope}/config?group=      merge a patch (If-Match: version → 409 when it moved)
 * POST   /v1/scopes/{scope}/switchover         {leader, candidate, scheduled_at, group}
 * DELETE /v1/scopes/{scope}/switchover?group=  cancel a scheduled switchover
 * POST   /v1/scopes/{scope}/failover           {candidate, group}
 * POST   /v1/scopes/{scope}/restart            {members, role, restart_pending, schedule, postgres_version, timeout, group}
 * DELETE /v1/scopes/{scope}/restart?group=     cancel a scheduled restart
 * POST   /v1/scopes/{scope}/reload             {members, role, group}
 * POST   /v1/scopes/{scope}/reinitialize       {member, force, from_leader, group}
 * POST   /v1/scopes/{scope}/pause              {group} (every group when absent)
 * POST   /v1/scopes/{scope}/resume             {group}
 * DELETE /v1/scopes/{scope}?confirm={scope}    forget the scope (the members' data is untouched)
 * </pre>
 */
@Path("/v1/scopes")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class ScopesResource {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Set<String> GROUP = Set.of("group");

    private final DecisionLoop loop;
    private final RequestWriter requests;

    public ScopesResource(DecisionLoop loop, RequestWriter requests) {
        this.loop = loop;
        this.requests = requests;
    }

    // ---- reading ------------------------------------------------------------------------------

    @GET
    public List<String> scopes() {
        return loop.state().scopes();
    }

    @GET
    @Path("{scope}")
    public Response cluster(@PathParam("scope") String scope) {
        List<GroupState> groups = loop.state().scope(scope);
        if (groups.isEmpty()) {
            return notFound(scope);
        }
        return Response.ok(ClusterView.cluster(scope, groups)).build();
    }

    @GET
    @Path("{scope}/history")
    public Response history(@PathParam("scope") String scope, @QueryParam("group") Integer group) {
        GroupState state = group(scope, group);
        return state == null ? notFound(scope) : Response.ok(ClusterView.history(state)).build();
    }

    @GET
    @Path("{scope}/config")
    public Response config(@PathParam("scope") String scope, @QueryParam("group") Integer group) {
        GroupState state = group(scope, group);
        if (state == null) {
            return notFound(scope);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("version", state.config().version());
        body.put("config", state.config().tree().toMap());
        return Response.ok(body).build();
    }

    // ---- requests -----------------------------------------------------------------------------

    @PATCH
    @Path("{scope}/config")
    public Response patchConfig(@PathParam("scope") String scope, @QueryParam("group") Integer group,
                                @HeaderParam("If-Match") String ifMatch, Map<String, Object> patch,
                                @Context HttpServletRequest http) {
        return request(scope, group, http, header -> {
            if (patch == null || patch.isEmpty()) {
                throw new Invalid(400, "the patch must be a non-empty JSON object");
            }
            Long expected = null;
            if (ifMatch != null && !ifMatch.isBlank()) {
                try {
                    expected = Long.parseLong(ifMatch.replace("\"", "").strip());
                } catch (NumberFormatException e) {
                    throw new Invalid(400, "If-Match must be the configuration version, got " + ifMatch);
                }
            }
            ConfigTree tree;
            try {
                tree = ConfigTree.of(patch);
            } catch (IllegalArgumentException e) {
                throw new Invalid(400, e.getMessage());
            }
            return new OperatorRequest.ConfigurationPatchRequested(header, tree, expected);
        });
    }

    @POST
    @Path("{scope}/switchover")
    public Response switchover(@PathParam("scope") String scope, Map<String, Object> body,
                               @Context HttpServletRequest http) {
        Map<String, Object> fields = fields(body);
        return request(scope, groupOf(fields), http, header ->
                RequestBodies.switchover(fields, header, Instant.now(), GROUP));
    }

    @DELETE
    @Path("{scope}/switchover")
    public Response cancelSwitchover(@PathParam("scope") String scope, @QueryParam("group") Integer group,
                                     @Context HttpServletRequest http) {
        return request(scope, group, http, header ->
                new OperatorRequest.CancelScheduledRequested(header, ActionKind.SWITCHOVER));
    }

    @POST
    @Path("{scope}/failover")
    public Response failover(@PathParam("scope") String scope, Map<String, Object> body,
                             @Context HttpServletRequest http) {
        Map<String, Object> fields = fields(body);
        return request(scope, groupOf(fields), http, header -> RequestBodies.failover(fields, header, GROUP));
    }

    @POST
    @Path("{scope}/restart")
    public Response restart(@PathParam("scope") String scope, Map<String, Object> body,
                            @Context HttpServletRequest http) {
        Map<String, Object> fields = fields(body);
        return request(scope, groupOf(fields), http, header -> RequestBodies.restart(without(fields, "members"),
                header, RequestBodies.names(fields.get("members"), "members"), Instant.now(), GROUP));
    }

    @DELETE
    @Path("{scope}/restart")
    public Response cancelRestart(@PathParam("scope") String scope, @QueryParam("group") Integer group,
                                  @Context HttpServletRequest http) {
        return request(scope, group, http, header ->
                new OperatorRequest.CancelScheduledRequested(header, ActionKind.RESTART));
    }

    @POST
    @Path("{scope}/reload")
    public Response reload(@PathParam("scope") String scope, Map<String, Object> body,
                           @Context HttpServletRequest http) {
        Map<String, Object> fields = fields(body);
        return request(scope, groupOf(fields), http, header -> RequestBodies.reload(without(fields, "members"),
                header, RequestBodies.names(fields.get("members"), "members"), GROUP));
    }

    @POST
    @Path("{scope}/reinitialize")
    public Response reinitialize(@PathParam("scope") String scope, Map<String, Object> body,
                                 @Context HttpServletRequest http) {
        Map<String, Object> fields = fields(body);
        Object member = fields.get("member");
        return request(scope, groupOf(fields), http, header -> RequestBodies.reinitialize(without(fields, "member"),
                header, member == null ? null : String.valueOf(member), GROUP));
    }

    @POST
    @Path("{scope}/pause")
    public Response pause(@PathParam("scope") String scope, Map<String, Object> body,
                          @Context HttpServletRequest http) {
        return everyGroup(scope, fields(body), http, OperatorRequest.PauseRequested::new);
    }

    @POST
    @Path("{scope}/resume")
    public Response resume(@PathParam("scope") String scope, Map<String, Object> body,
                           @Context HttpServletRequest http) {
        return everyGroup(scope, fields(body), http, OperatorRequest.ResumeRequested::new);
    }

    @DELETE
    @Path("{scope}")
    public Response remove(@PathParam("scope") String scope, @QueryParam("confirm") String confirm,
                           @Context HttpServletRequest http) {
        if (!scope.equals(confirm)) {
            return text(400, "removing a scope needs ?confirm=" + scope);
        }
        return everyGroup(scope, Map.of(), http, OperatorRequest.RemoveClusterRequested::new);
    }

    // ---- plumbing -----------------------------------------------------------------------------

    private interface RequestBuilder {
        OperatorRequest build(RequestHeader header);
    }

    private Response request(String scope, Integer group, HttpServletRequest http, RequestBuilder builder) {
        GroupState state = group(scope, group);
        if (state == null) {
            return notFound(scope + (group == null ? "" : " group " + group));
        }
        try {
            OperatorRequest request = builder.build(header(state.id(), http));
            Answer answer = requests.submit(request, WAIT);
            return text(answer.status(), answer.message());
        } catch (Invalid e) {
            return text(e.status(), e.getMessage());
        }
    }

    /** Pause, resume and remove concern a whole scope unless a group is named: one request per group. */
    private Response everyGroup(String scope, Map<String, Object> fields, HttpServletRequest http,
                                RequestBuilder builder) {
        try {
            RequestBodies.known(fields, GROUP, "Unknown field: ");
        } catch (Invalid e) {
            return text(e.status(), e.getMessage());
        }
        Integer only = groupOf(fields);
        List<GroupState> groups = new ArrayList<>();
        for (GroupState group : loop.state().scope(scope)) {
            if (only == null || group.id().group() == only) {
                groups.add(group);
            }
        }
        if (groups.isEmpty()) {
            return notFound(scope);
        }
        int status = 200;
        List<String> messages = new ArrayList<>();
        for (GroupState group : groups) {
            Answer answer = requests.submit(builder.build(header(group.id(), http)), WAIT);
            status = Math.max(status, answer.status());
            messages.add(groups.size() == 1 ? answer.message() : "group " + group.id().group() + ": " + answer.message());
        }
        return text(status, String.join("\n", messages));
    }

    private GroupState group(String scope, Integer group) {
        ClusterState state = loop.state();
        return state.group(new GroupId(scope, group == null ? 0 : group)).orElse(null);
    }

    private static RequestHeader header(GroupId group, HttpServletRequest http) {
        String who = http.getHeader("X-Steward-Actor");
        String actor = (who == null || who.isBlank() ? "api" : who.strip()) + "@" + http.getRemoteAddr();
        return new RequestHeader(UUID.randomUUID().toString(), actor, group);
    }

    private static Map<String, Object> fields(Map<String, Object> body) {
        return body == null ? Map.of() : body;
    }

    private static Map<String, Object> without(Map<String, Object> fields, String key) {
        Map<String, Object> copy = new LinkedHashMap<>(fields);
        copy.remove(key);
        return copy;
    }

    private static Integer groupOf(Map<String, Object> fields) {
        Object group = fields.get("group");
        if (group == null) {
            return null;
        }
        try {
            // a whole number that fits: 1e20 or 1.5 is refused, not wrapped or cut
            return new java.math.BigDecimal(String.valueOf(group)).intValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            throw new Invalid(400, "group must be a whole number, got " + group);
        }
    }

    private static Response notFound(String what) {
        return text(404, "no such scope: " + what);
    }

    private static Response text(int status, String message) {
        return Response.status(status).type(MediaType.TEXT_PLAIN_TYPE).entity(message).build();
    }
}
