package io.steward.agent.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import io.steward.agent.postgres.LocalInstance;
import io.steward.core.command.Command;
import io.steward.core.command.CommandHeader;
import io.steward.core.config.DynamicConfig;
import io.steward.core.model.Endpoints;
import io.steward.core.model.GroupId;
import io.steward.core.model.Observation;

/**
 * The order of each command's steps where writes are at stake: whatever fails, the leader lease is
 * given up only after PostgreSQL stopped taking writes, never before. The instance and the member
 * are recording stand-ins here: one list holds every step of both, in order.
 */
class CommandActionsTest {

    private static final GroupId GROUP = new GroupId("demo", 0);

    private final List<String> steps = new ArrayList<>();
    private final Map<String, Function<Object[], Object>> instanceAnswers = new HashMap<>();
    private final Map<String, Function<Object[], Object>> memberAnswers = new HashMap<>();
    private final LocalInstance instance = recording(LocalInstance.class, instanceAnswers, "postgres.");
    private final CommandActions.Member member = recording(CommandActions.Member.class, memberAnswers, "member.");
    private final CommandActions actions = new CommandActions(member, false);

    CommandActionsTest() {
        memberAnswers.put("postgres", args -> instance);
        memberAnswers.put("dynamic", args -> args == null || args.length == 0 ? DynamicConfig.DEFAULT : null);
        memberAnswers.put("observe", args -> Observation.NONE);
        memberAnswers.put("acquireLease", args -> true);
        memberAnswers.put("holdsLease", args -> true);
        instanceAnswers.put("isConfiguredAsStandby", args -> true);
        instanceAnswers.put("isRunning", args -> true);
        instanceAnswers.put("hasData", args -> true);
    }

    @Test
    void aPromotionThatFailsAfterItWasSignalledStopsPostgresBeforeReleasingTheLease() {
        instanceAnswers.put("promote", args -> {
            throw new IllegalStateException("the promotion did not complete within 60 s");
        });

        assertThatThrownBy(() -> actions.execute(new Command.Promote(header("pg2"), null)))
                .hasMessageContaining("did not complete");

        assertThat(steps).containsSubsequence("postgres.promote", "postgres.stop IMMEDIATE", "member.releaseLease");
    }

    @Test
    void aLeaderToldToFollowStopsBeforeItGivesTheKeyUp() {
        instanceAnswers.put("isConfiguredAsStandby", args -> false);
        instanceAnswers.put("isRunning", args -> !steps.contains("postgres.stop FAST"));
        instanceAnswers.put("streamsFrom", args -> true);

        actions.execute(new Command.Follow(header("pg1"), "pg2", new Endpoints("http://pg2", "10.0.0.2", 5432), null,
                false));

        assertThat(steps).containsSubsequence("postgres.stop FAST", "member.releaseLease", "postgres.startStandby");
        assertThat(steps.indexOf("postgres.stop FAST")).isLessThan(steps.indexOf("member.releaseLease"));
    }

    @Test
    void aBootstrapOverExistingDataThatFailsStopsPostgresBeforeReleasingTheLease() {
        instanceAnswers.put("isConfiguredAsStandby", args -> false);
        instanceAnswers.put("setUpCitus", args -> {
            throw new IllegalStateException("CREATE EXTENSION citus failed");
        });

        assertThatThrownBy(() -> actions.execute(new Command.Bootstrap(header("pg1"), true)))
                .hasMessageContaining("citus");

        assertThat(steps).containsSubsequence("postgres.startPrimary", "postgres.stop IMMEDIATE", "member.releaseLease");
    }

    @Test
    void aPrimaryWhoseStartFailsIsStoppedWhateverTheLeaseSays() {
        instanceAnswers.put("isConfiguredAsStandby", args -> false);
        instanceAnswers.put("startPrimary", args -> {
            throw new IllegalStateException("PostgreSQL did not accept connections within 60 s");
        });

        assertThatThrownBy(() -> actions.execute(new Command.Restart(header("pg1"), null, "crash recovery")))
                .hasMessageContaining("did not accept connections");

        assertThat(steps).containsSubsequence("postgres.startPrimary", "postgres.stop IMMEDIATE");
    }

    @Test
    void aPrimaryToldToFollowAfterItsDeadlinePassedStillStopsBeforeTheLeaseIsGivenUp() {
        memberAnswers.put("holdsLease", args -> false); // the deadline passed; the fence has not run yet
        instanceAnswers.put("isConfiguredAsStandby", args -> steps.contains("postgres.startStandby"));
        instanceAnswers.put("isRunning", args -> !steps.contains("postgres.stop FAST"));

        actions.execute(new Command.Follow(header("pg1"), "pg2", new Endpoints("http://pg2", "10.0.0.2", 5432), null,
                false));

        assertThat(steps).containsSubsequence("postgres.stop FAST", "member.releaseLease", "postgres.startStandby");
    }

    @Test
    void aDemotionReleasesTheLeaseOnlyAfterTheShutdown() {
        instanceAnswers.put("latestCheckpoint", args -> new LocalInstance.Checkpoint(null, 1));

        actions.execute(new Command.Demote(header("pg1"), Command.DemoteMode.GRACEFUL));

        assertThat(steps).containsSubsequence("postgres.stop FAST", "member.releaseLease");
    }

    private static CommandHeader header(String member) {
        return new CommandHeader("cmd-1", 1, GROUP, member);
    }

    /** A stand-in for {@code type} that records each call (with a first enum or mode argument) and answers from {@code answers}. */
    private <T> T recording(Class<T> type, Map<String, Function<Object[], Object>> answers, String prefix) {
        InvocationHandler handler = (proxy, method, args) -> {
            String name = method.getName();
            if (name.equals("toString")) {
                return prefix + "stand-in";
            }
            boolean query = name.startsWith("is") || name.startsWith("has") || name.equals("postgres")
                    || name.equals("observe") || name.equals("holdsLease") || name.equals("upstream")
                    || name.equals("dataDir") || (name.equals("dynamic") && (args == null || args.length == 0));
            if (!query) {
                steps.add(prefix + name + (args != null && args.length > 0 && args[0] instanceof Enum<?> e
                        ? " " + e.name() : ""));
            }
            Function<Object[], Object> answer = answers.get(name);
            if (answer != null) {
                return answer.apply(args);
            }
            Class<?> returns = method.getReturnType();
            if (returns == boolean.class) {
                return false;
            }
            if (returns == int.class || returns == long.class) {
                return 0;
            }
            return returns == Path.class ? Path.of("/data") : null;
        };
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
    }
}
