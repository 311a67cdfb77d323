package io.steward.core.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.steward.core.event.OperatorRequest.RequestHeader;
import io.steward.core.model.GroupId;
import io.steward.core.request.RequestBodies.Invalid;

/**
 * Every value a request body carries into the log is bounded: numbers that would not fit the
 * types the decider computes with, names no member can have, and times nobody can mean are
 * refused with a clear message before anything is written.
 */
class RequestBodiesTest {

    private static final RequestHeader HEADER = new RequestHeader("req-1", "alice", new GroupId("demo", 0));
    private static final Instant NOW = Instant.parse("2026-12-08T00:00:00Z");

    static Stream<Arguments> oversized() {
        String longName = "n".repeat(254);
        return Stream.of(
                Arguments.of("restart", Map.of("postgres_version", "99999999999"), 400, "postgres_version must look like"),
                Arguments.of("restart", Map.of("postgres_version", "15.9999999"), 400, "postgres_version must look like"),
                Arguments.of("restart", Map.of("timeout", 1e300), 400, "at most 86400"),
                Arguments.of("restart", Map.of("timeout", "NaN"), 400, "Timeout should be a positive number"),
                Arguments.of("restart", Map.of("timeout", "Infinity"), 400, "Timeout should be a positive number"),
                Arguments.of("restart", Map.of("schedule", "+999999999-12-31T23:59:59Z"), 422,
                        "more than 3650 days ahead"),
                Arguments.of("switchover", Map.of("leader", longName), 400, "at most 253 characters"),
                Arguments.of("switchover", Map.of("leader", "n1", "candidate", "n\u0000"), 400, "control characters"),
                Arguments.of("switchover", Map.of("leader", Map.of("a", 1)), 400, "expected a member name"),
                Arguments.of("failover", Map.of("candidate", List.of("n2")), 400, "expected a member name"),
                Arguments.of("reinitialize", Map.of(), 400, "at most 253 characters"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("oversized")
    void refusesValuesOutOfBounds(String endpoint, Map<String, Object> body, int status, String message) {
        assertThatThrownBy(() -> parse(endpoint, body)).isInstanceOfSatisfying(Invalid.class, invalid -> {
            assertThat(invalid.status()).isEqualTo(status);
            assertThat(invalid.getMessage()).contains(message);
        });
    }

    @Test
    void acceptsTheLargestValuesItAllows() {
        Map<String, Object> body = new HashMap<>();
        body.put("postgres_version", "999999.999999.999999");
        body.put("timeout", 86_400);
        assertThat(RequestBodies.restart(body, HEADER, List.of(), NOW, Set.of()).timeoutSeconds()).isEqualTo(86_400);
        assertThat(RequestBodies.switchover(Map.of("leader", "n".repeat(253)), HEADER, NOW, Set.of()).leader())
                .hasSize(253);
    }

    @Test
    void aListOfMembersIsBoundedToo() {
        List<String> many = java.util.stream.IntStream.range(0, 1001).mapToObj(i -> "n" + i).toList();
        assertThatThrownBy(() -> RequestBodies.names(many, "members")).isInstanceOf(Invalid.class)
                .hasMessageContaining("at most 1000");
    }

    private static Object parse(String endpoint, Map<String, Object> body) {
        return switch (endpoint) {
            case "restart" -> RequestBodies.restart(body, HEADER, List.of(), NOW, Set.of());
            case "switchover" -> RequestBodies.switchover(body, HEADER, NOW, Set.of());
            case "failover" -> RequestBodies.failover(body, HEADER, Set.of());
            case "reinitialize" -> RequestBodies.reinitialize(body, HEADER, "m".repeat(300), Set.of());
            default -> throw new IllegalArgumentException(endpoint);
        };
    }
}
