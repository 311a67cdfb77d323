package io.steward.ctl;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * HTTP to the decision service, trying the configured instances in order until one answers. Any
 * instance answers reads and takes requests (they go through the log to the leader), so the first
 * that answers serves the whole command; it is asked first from then on.
 *
 * <p>A request that could not be sent (connection refused, connect timeout) is tried on the next
 * instance. A request that was sent but got no answer is tried again elsewhere only when it only
 * reads: a repeated switchover could be carried out twice.
 */
final class DeciderClient implements AutoCloseable {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    /** One answer: the status, the body and the instance that gave it. */
    record Reply(int status, String body, URI from) {
        boolean isSuccess() {
            return status / 100 == 2;
        }

        /** The decider's message: its text answer, stripped. */
        String message() {
            return body.strip();
        }
    }

    private final List<URI> deciders;
    private final Duration timeout;
    private final String actor;
    private final HttpClient http;

    DeciderClient(List<URI> deciders, Duration timeout, String actor) {
        this.deciders = new ArrayList<>(deciders);
        this.timeout = timeout;
        this.actor = actor;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    Reply get(String path) {
        return send("GET", path, null, Map.of());
    }

    Reply delete(String path) {
        return send("DELETE", path, null, Map.of());
    }

    /**
     * Sends one request. {@code body} (JSON) may be null; {@code headers} are added to the actor and
     * content headers. Throws {@link CtlException} with {@link CtlException#NO_DECIDER} when no
     * instance answered, naming each and why.
     */
    Reply send(String method, String path, String body, Map<String, String> headers) {
        Map<URI, String> failures = new LinkedHashMap<>();
        for (URI decider : List.copyOf(deciders)) {
            try {
                Reply reply = sendTo(decider, method, path, body, headers);
                preferNext(decider);
                return reply;
            } catch (ConnectException | HttpConnectTimeoutException e) {
                failures.put(decider, reason(e));
            } catch (IOException e) {
                failures.put(decider, reason(e));
                if (!"GET".equals(method)) {
                    throw noAnswer(failures, " (the request may have been received; check with `stewardctl list`)");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw CtlException.refused("Interrupted");
            }
        }
        throw noAnswer(failures, "");
    }

    /** Asks one instance, with no failover ({@code decider --all}). */
    Reply sendTo(URI decider, String method, String path, String body, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(decider + path)).timeout(timeout)
                .header("X-Steward-Actor", actor)
                .header("Accept", "application/json, text/plain")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        headers.forEach(request::header);
        HttpResponse<String> response = http.send(request.build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Reply(response.statusCode(), response.body() == null ? "" : response.body(), decider);
    }

    List<URI> deciders() {
        return List.copyOf(deciders);
    }

    private void preferNext(URI decider) {
        deciders.remove(decider);
        deciders.addFirst(decider);
    }

    static String reason(Exception e) {
        String message = e.getMessage();
        if (e instanceof ConnectException && (message == null || message.isBlank())) {
            return "connection refused";
        }
        if (e instanceof HttpConnectTimeoutException) {
            return "connect timed out after " + CONNECT_TIMEOUT.toSeconds() + " s";
        }
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    private static CtlException noAnswer(Map<URI, String> failures, String suffix) {
        StringBuilder text = new StringBuilder("No decider answered").append(suffix).append(':');
        failures.forEach((url, why) -> text.append("\n  ").append(url).append(": ").append(why));
        return new CtlException(CtlException.NO_DECIDER, text.toString());
    }

    @Override
    public void close() {
        http.close();
    }
}
