package io.steward.agent.rest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.Principal;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.eclipse.jetty.util.InetAddressSet;

import io.steward.agent.config.AgentConfig.RestApi;

/**
 * Guards the mutating endpoints as Patroni does ({@code check_access} in its api.py): only
 * {@code POST}, {@code PUT}, {@code PATCH} and {@code DELETE} are checked; health checks and
 * status stay open to load balancers. First the caller's address against
 * {@code restapi.allowlist} (403 "Access is denied"), then HTTP basic credentials against
 * {@code restapi.authentication} (401 with {@code WWW-Authenticate}). An authenticated caller's
 * name is recorded as the actor of the request it sends.
 */
public final class AccessFilter implements Filter {

    private static final Set<String> UNSAFE = Set.of("POST", "PUT", "PATCH", "DELETE");

    private final InetAddressSet allowlist;
    private final byte[] expectedCredentials;
    private final String username;

    /**
     * @throws IllegalArgumentException naming an allowlist entry that is neither an address, a
     *                                  CIDR, a range nor a resolvable host
     */
    public AccessFilter(RestApi restapi) {
        this.allowlist = allowlist(restapi.allowlist());
        this.username = restapi.username();
        this.expectedCredentials = restapi.username() == null ? null
                : (restapi.username() + ":" + restapi.password()).getBytes(StandardCharsets.UTF_8);
    }

    private static InetAddressSet allowlist(List<String> entries) {
        if (entries.isEmpty()) {
            return null;
        }
        InetAddressSet set = new InetAddressSet();
        for (String entry : entries) {
            try {
                set.add(entry);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("restapi.allowlist: '" + entry + "' is not an address, CIDR or "
                        + "resolvable host: " + e.getMessage(), e);
            }
        }
        return set;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        HttpServletResponse reply = (HttpServletResponse) response;
        if (!UNSAFE.contains(http.getMethod())) {
            chain.doFilter(request, response);
            return;
        }
        if (allowlist != null && !allowlist.test(java.net.InetAddress.getByName(http.getRemoteAddr()))) {
            deny(reply, 403, "Access is denied");
            return;
        }
        if (expectedCredentials != null) {
            String header = http.getHeader("Authorization");
            if (header == null) {
                reply.setHeader("WWW-Authenticate", "Basic realm=\"Steward\"");
                deny(reply, 401, "no auth header received");
                return;
            }
            if (!header.startsWith("Basic ") || !matches(header.substring(6).strip())) {
                reply.setHeader("WWW-Authenticate", "Basic realm=\"Steward\"");
                deny(reply, 401, "not authenticated");
                return;
            }
            chain.doFilter(authenticated(http), response);
            return;
        }
        chain.doFilter(request, response);
    }

    private boolean matches(String encoded) {
        byte[] given;
        try {
            given = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(expectedCredentials, given);
    }

    private HttpServletRequest authenticated(HttpServletRequest http) {
        Principal principal = () -> username;
        return new HttpServletRequestWrapper(http) {
            @Override
            public Principal getUserPrincipal() {
                return principal;
            }

            @Override
            public String getRemoteUser() {
                return username;
            }

            @Override
            public String getAuthType() {
                return HttpServletRequest.BASIC_AUTH;
            }
        };
    }

    private static void deny(HttpServletResponse reply, int status, String message) throws IOException {
        reply.setStatus(status);
        reply.setContentType("text/plain; charset=utf-8");
        reply.getWriter().write(message);
    }
}
