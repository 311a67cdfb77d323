package io.steward.core.decide;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import io.steward.core.command.Command;
import io.steward.core.event.DeciderEvent.BootstrapDecided;
import io.steward.core.model.Lsn;
import io.steward.core.model.MemberState;
import io.steward.core.state.BootstrapState;

/**
 * The bootstrap race, with exactly one winner: the decider picks the member that creates the
 * group's data; every other member waits and then clones. A member that already has data (and
 * runs as primary, or is the most advanced) is adopted rather than overwritten, as Patroni adopts
 * an existing primary. Members tagged nofailover never bootstrap.
 */
final class BootstrapRule {

    private BootstrapRule() {
    }

    static String apply(DecisionContext context) {
        BootstrapState bootstrap = context.group.bootstrap();
        if (bootstrap != null) {
            MemberState chosen = context.group.members().get(bootstrap.member());
            boolean stillTrying = context.group.hasPendingCommandFor(bootstrap.member());
            boolean gaveUp = chosen == null || chosen.isFailed()
                    || (!stillTrying && context.group.commandFailures().containsKey(bootstrap.member())
                    && !context.group.commandFailures().get(bootstrap.member()).isBefore(bootstrap.decidedAt()));
            if (!gaveUp) {
                return "waiting for " + bootstrap.member() + " to initialize the cluster";
            }
        }
        List<MemberState> eligible = context.group.members().values().stream()
                .filter(context::isFresh)
                .filter(member -> member.tags().canFailover())
                .filter(member -> !context.inBackoff(member.name()))
                .filter(member -> bootstrap == null || !member.name().equals(bootstrap.member()))
                .toList();
        if (eligible.isEmpty()) {
            return context.group.members().isEmpty() ? "waiting for members to register"
                    : "waiting for a member that may bootstrap (tagged nofailover, silent or failing: "
                    + String.join(", ", context.group.members().keySet()) + ")";
        }
        Optional<MemberState> withData = eligible.stream()
                .filter(member -> member.observation().systemIdentifier() != null)
                .min(Comparator.comparing((MemberState m) -> !m.observation().isRunningPrimary())
                        .thenComparing(m -> m.observation().walPosition(),
                                Comparator.nullsLast(Comparator.<Lsn>naturalOrder().reversed()))
                        .thenComparing(MemberState::registeredAt)
                        .thenComparing(MemberState::name));
        MemberState winner = withData.orElseGet(() -> eligible.stream()
                .min(Comparator.comparing(MemberState::registeredAt).thenComparing(MemberState::name)).orElseThrow());
        boolean adopt = withData.isPresent();
        String reason = adopt
                ? winner.name() + " bootstraps the cluster from its existing data (system id "
                + winner.observation().systemIdentifier() + ")"
                : winner.name() + " bootstraps a new cluster: it registered first among " + eligible.size()
                + " eligible member(s)";
        if (bootstrap != null) {
            reason += "; " + bootstrap.member() + " failed to";
        }
        context.emit(new BootstrapDecided(context.epoch(), context.group.id(), winner.name(), adopt, reason));
        context.issue(new Command.Bootstrap(context.header(winner.name()), adopt), reason);
        return reason;
    }
}
