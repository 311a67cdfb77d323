package io.steward.decider.api;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.steward.decider.loop.DecisionLoop;

/** {@code GET /v1/decider}: this instance, whether it leads and with which epoch, whether it has caught up. */
@Path("/v1/decider")
@Produces(MediaType.APPLICATION_JSON)
public final class DeciderResource {

    private final String instance;
    private final DecisionLoop loop;

    public DeciderResource(String instance, DecisionLoop loop) {
        this.instance = instance;
        this.loop = loop;
    }

    @GET
    public Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("instance", instance);
        status.put("leader", loop.leadingEpoch() > 0);
        status.put("epoch", loop.leadingEpoch());
        status.put("caught_up", loop.isCaughtUp());
        status.put("groups", loop.state().groups().size());
        return status;
    }
}
