package io.steward.testkit.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Named situations: the cuts asked for, and the drop rules each receiving host must get. */
class CutsTest {

    private static final String A = "10.231.9.2";
    private static final String B = "10.231.9.3";
    private static final String C = "10.231.9.4";
    private static final List<String> HOSTS = List.of(A, B, C);

    record Scenario(String name, UnaryOperator<Cuts> cuts, Map<String, List<String>> rules) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Scenario> scenarios() {
        return Stream.of(
                new Scenario("no cuts: every host gets an empty chain", cuts -> cuts,
                        Map.of(A, List.of(), B, List.of(), C, List.of())),
                new Scenario("a cut both ways drops at both receivers", cuts -> cuts.cut(A, B, Direction.BOTH),
                        Map.of(A, List.of(drop(B)), B, List.of(drop(A)), C, List.of())),
                new Scenario("a one-way cut drops only at the receiver of that direction",
                        cuts -> cuts.cut(A, B, Direction.ONE_WAY),
                        Map.of(A, List.of(), B, List.of(drop(A)), C, List.of())),
                new Scenario("a port cut both ways drops requests to the port and the service's replies",
                        cuts -> cuts.cutPort(A, B, 5432, Direction.BOTH),
                        Map.of(A, List.of("ip saddr " + B + " meta l4proto { tcp, udp } th sport 5432 drop"),
                                B, List.of("ip saddr " + A + " meta l4proto { tcp, udp } th dport 5432 drop"),
                                C, List.of())),
                new Scenario("a one-way port cut drops only the requests", cuts -> cuts.cutPort(A, B, 5432, Direction.ONE_WAY),
                        Map.of(A, List.of(), B, List.of("ip saddr " + A + " meta l4proto { tcp, udp } th dport 5432 drop"),
                                C, List.of())),
                new Scenario("an isolated host drops every other host and every other host drops it",
                        cuts -> cuts.isolate(A),
                        Map.of(A, List.of(drop(B), drop(C)), B, List.of(drop(A)), C, List.of(drop(A)))),
                new Scenario("a cut asked twice is one rule", cuts -> cuts.cut(A, B, Direction.BOTH).isolate(A),
                        Map.of(A, List.of(drop(B), drop(C)), B, List.of(drop(A)), C, List.of(drop(A)))),
                new Scenario("healing a host removes its cuts and its isolation, not the others'",
                        cuts -> cuts.isolate(A).cut(B, C, Direction.ONE_WAY).heal(A),
                        Map.of(A, List.of(), B, List.of(), C, List.of(drop(B)))),
                new Scenario("healing the receiver of a one-way cut removes it", cuts -> cuts.cut(A, B, Direction.ONE_WAY).heal(B),
                        Map.of(A, List.of(), B, List.of(), C, List.of())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void givesEachReceiverTheRulesThatDropWhatWasCut(Scenario scenario) {
        Cuts cuts = scenario.cuts().apply(Cuts.NONE);
        for (String host : HOSTS) {
            assertThat(cuts.rules(host, HOSTS)).as("rules of " + host).isEqualTo(scenario.rules().get(host));
        }
    }

    @Test
    void aScriptReplacesTheWholeTableInOneTransaction() {
        String script = Cuts.NONE.cut(A, B, Direction.ONE_WAY).script(B, HOSTS);

        assertThat(script).startsWith("table inet steward\ndelete table inet steward\ntable inet steward {\n")
                .contains("type filter hook prerouting priority raw; policy accept;")
                .contains("    " + drop(A) + "\n");
    }

    @Test
    void aHostIsolatedBeforeAnotherHostExistsIsCutFromItToo() {
        Cuts cuts = Cuts.NONE.isolate(A);

        assertThat(cuts.rules(A, List.of(A, B))).containsExactly(drop(B));
        assertThat(cuts.rules(A, HOSTS)).containsExactly(drop(B), drop(C));
        assertThat(cuts.rules(C, HOSTS)).containsExactly(drop(A));
    }

    @Test
    void refusesToCutAHostFromItselfOrANonPort() {
        assertThatThrownBy(() -> Cuts.NONE.cut(A, A, Direction.BOTH)).hasMessageContaining("itself");
        assertThatThrownBy(() -> Cuts.NONE.cutPort(A, B, 0, Direction.BOTH)).hasMessageContaining("not a port");
    }

    @Test
    void namesCarryTheOwningPid() {
        assertThat(Namespaces.ownerPid("stw4194304n12-pg1")).contains(4194304L);
        assertThat(Namespaces.ownerPid("stw77n1")).contains(77L);
        assertThat(Namespaces.ownerPid("stw77n1-switch")).contains(77L);
        assertThat(Namespaces.ownerPid("eth0")).isEmpty();
        assertThat(Namespaces.ownerPid("stwx-pg1")).isEmpty();
        assertThat(Namespaces.prefix(4194304, 999)).hasSizeLessThanOrEqualTo(15);
    }

    private static String drop(String from) {
        return "ip saddr " + from + " drop";
    }
}
