package io.steward.ctl;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A decision service on 127.0.0.1 that answers canned bodies per {@code METHOD /path?query} and
 * records every request it gets. Several answers for one route are given in turn, the last one
 * repeating.
 */
final class StubDecider implements AutoCloseable {

    /** One request as the stub received it. */
    record Request(String method, String target, Map<String, List<String>> headers, String body) {
        String header(String name) {
            return headers.entrySet().stream().filter(entry -> entry.getKey().equalsIgnoreCase(name))
                    .map(entry -> entry.getValue().getFirst()).findFirst().orElse(null);
        }

        JsonNode json() {
            try {
                return Json.JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    private record Answer(int status, String body) {
    }

    private final HttpServer server;
    private final Map<String, Deque<Answer>> routes = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    StubDecider() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Answers {@code route} ("GET /v1/scopes/demo") with {@code status} and {@code body}, replacing earlier answers. */
    StubDecider on(String route, int status, String body) {
        routes.remove(route);
        return thenOn(route, status, body);
    }

    /** Queues a further answer for {@code route}, given after the ones before it. */
    StubDecider thenOn(String route, int status, String body) {
        routes.computeIfAbsent(route, key -> new ArrayDeque<>()).add(new Answer(status, body));
        return this;
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The requests other than reads. */
    List<Request> writes() {
        return requests.stream().filter(request -> !request.method().equals("GET")).toList();
    }

    Request only(String method) {
        List<Request> matching = requests.stream().filter(request -> request.method().equals(method)).toList();
        if (matching.size() != 1) {
            throw new AssertionError("expected one " + method + ", got " + requests);
        }
        return matching.getFirst();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String target = exchange.getRequestURI().toString();
        requests.add(new Request(exchange.getRequestMethod(), target, Map.copyOf(exchange.getRequestHeaders()), body));
        Deque<Answer> answers = routes.get(exchange.getRequestMethod() + " " + target);
        Answer answer = answers == null ? new Answer(404, "no such route: " + target)
                : answers.size() > 1 ? answers.poll() : answers.peek();
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        boolean json = answer.body().startsWith("{") || answer.body().startsWith("[");
        exchange.getResponseHeaders().add("Content-Type", json ? "application/json" : "text/plain");
        exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
