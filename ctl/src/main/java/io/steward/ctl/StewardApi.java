package io.steward.ctl;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import io.steward.ctl.DeciderClient.Reply;

/**
 * The decision service's operator API ({@code /v1/...}, docs/operations.md "API") as Java calls.
 * Reads turn a refusal (404 for an unknown scope, ...) into {@link CtlException#REFUSED}; requests
 * return the {@link Reply} so each command words its own outcome.
 */
final class StewardApi {

    /** A configuration and the version a conditional patch must name. */
    record VersionedConfig(long version, Map<String, Object> config) {
    }

    private final DeciderClient client;

    StewardApi(DeciderClient client) {
        this.client = client;
    }

    DeciderClient client() {
        return client;
    }

    List<String> scopes() {
        List<String> scopes = new ArrayList<>();
        read("/v1/scopes").forEach(scope -> scopes.add(scope.asText()));
        return scopes;
    }

    ClusterInfo cluster(String scope) {
        return ClusterInfo.parse(scope, read(scopePath(scope)));
    }

    JsonNode history(String scope, Integer group) {
        return read(scopePath(scope) + "/history" + groupQuery(group));
    }

    @SuppressWarnings("unchecked")
    VersionedConfig config(String scope, Integer group) {
        JsonNode body = read(scopePath(scope) + "/config" + groupQuery(group));
        Object config = Json.plain(body.path("config"));
        return new VersionedConfig(body.path("version").asLong(), config instanceof Map<?, ?> map
                ? (Map<String, Object>) map : Map.of());
    }

    JsonNode decider() {
        return read("/v1/decider");
    }

    Reply patchConfig(String scope, Integer group, Map<String, Object> patch, long expectedVersion) {
        return client.send("PATCH", scopePath(scope) + "/config" + groupQuery(group), json(patch),
                Map.of("If-Match", Long.toString(expectedVersion)));
    }

    /** {@code POST /v1/scopes/{scope}/{action}} with a JSON body (null fields left out by the caller). */
    Reply post(String scope, String action, Map<String, Object> body) {
        return client.send("POST", scopePath(scope) + "/" + action, json(body), Map.of());
    }

    /** Cancels a scheduled {@code switchover} or {@code restart}. */
    Reply cancel(String scope, String action, Integer group) {
        return client.delete(scopePath(scope) + "/" + action + groupQuery(group));
    }

    Reply remove(String scope) {
        return client.delete(scopePath(scope) + "?confirm=" + encode(scope));
    }

    private JsonNode read(String path) {
        Reply reply = client.get(path);
        if (!reply.isSuccess()) {
            throw CtlException.refused(reply.message().isEmpty() ? "HTTP " + reply.status() + " from " + reply.from()
                    : reply.message());
        }
        try {
            return Json.JSON.readTree(reply.body());
        } catch (IOException e) {
            throw CtlException.refused("Unexpected answer from " + reply.from() + path + ": " + e.getMessage());
        }
    }

    private static String json(Object body) {
        try {
            return Json.JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String scopePath(String scope) {
        return "/v1/scopes/" + encode(scope).replace("+", "%20");
    }

    private static String groupQuery(Integer group) {
        return group == null ? "" : "?group=" + group;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
