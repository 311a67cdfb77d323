package io.steward.decider.api;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

import io.steward.core.request.RequestBodies.Invalid;

/** A request body that cannot be accepted: its status and message, as plain text. */
public final class InvalidRequestMapper implements ExceptionMapper<Invalid> {

    @Override
    public Response toResponse(Invalid invalid) {
        return Response.status(invalid.status()).type(MediaType.TEXT_PLAIN_TYPE).entity(invalid.getMessage()).build();
    }
}
