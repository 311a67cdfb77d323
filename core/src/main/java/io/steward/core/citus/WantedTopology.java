package io.steward.core.citus;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

import io.steward.core.command.Command;
import io.steward.core.model.MemberState;
import io.steward.core.state.CitusPause;
import io.steward.core.state.ClusterState;
import io.steward.core.state.GroupState;
import io.steward.core.state.Transition;

/**
 * The topology of a Citus scope as the log says it is: for each group whose leader runs as a
 * primary, that leader as {@code primary} and its other running replicas as {@code secondary},
 * except those tagged {@code noloadbalance} (as Patroni 4 does; Patroni 3.0.2 registers primaries
 * only) and those held failed. A group without such a leader (a failover under way) has no
 * wanted entry: Citus keeps its rows until a new primary runs.
 */
public final class WantedTopology {

    private WantedTopology() {
    }

    public static List<WantedGroup> of(ClusterState state, String scope) {
        List<WantedGroup> wanted = new ArrayList<>();
        for (GroupState group : state.scope(scope)) {
            of(group).ifPresent(wanted::add);
        }
        return List.copyOf(wanted);
    }

    public static Optional<WantedGroup> of(GroupState group) {
        Optional<MemberState> leader = group.leaderMember()
                .filter(member -> !member.isFailed() && member.observation().isRunningPrimary());
        if (leader.isEmpty()) {
            return Optional.empty();
        }
        NodeAddress primary = address(leader.get());
        List<NodeAddress> secondaries = group.members().values().stream()
                .filter(member -> !member.name().equals(leader.get().name()))
                .filter(member -> !member.isFailed() && member.observation().isRunningReplica())
                .filter(member -> !member.tags().noloadbalance())
                .map(WantedTopology::address)
                .filter(address -> !address.equals(primary))
                .distinct().sorted().toList();
        return Optional.of(new WantedGroup(group.id().group(), primary, secondaries));
    }

    /**
     * The worker groups whose primary is changing or stopping now, and so should be paused on the
     * coordinator: a failover or switchover under way, a leader held failed, a planned stop the
     * decider holds until the pause is taken ({@link CitusPause}), or a restart of the primary
     * under way. Statements through the coordinator to such a group should wait until the member
     * taking over is registered (or the restarted primary runs again), rather than fail. The
     * coordinator group is never among them: citus-sync needs it.
     */
    public static SortedMap<Integer, PrimaryStop> primaryStops(ClusterState state, String scope) {
        SortedMap<Integer, PrimaryStop> stops = new TreeMap<>();
        for (GroupState group : state.scope(scope)) {
            if (group.id().group() == 0) {
                continue;
            }
            String to = switch (group.transition()) {
                case Transition.Promotion promotion -> promotion.to();
                case Transition.Demotion demotion -> demotion.to();
                case null -> null;
            };
            boolean leaderFailed = group.leaderMember().map(MemberState::isFailed).orElse(false);
            CitusPause pause = group.citusPause();
            boolean restarting = group.leader() != null && group.commands().values().stream()
                    .anyMatch(pending -> pending.command() instanceof Command.Restart
                            && pending.command().member().equals(group.leader()));
            if (group.transition() != null || leaderFailed || pause != null || restarting) {
                String awaited = pause != null && !pause.isPaused() ? pause.requestId() : null;
                stops.put(group.id().group(), new PrimaryStop(group.member(to).map(WantedTopology::address), awaited));
            }
        }
        return stops;
    }

    /**
     * Why a worker group should be paused.
     *
     * @param successor     the member taking over, once the decider has chosen one; empty for a
     *                      restart, or while no successor is chosen
     * @param awaitingPause the request whose planned stop the decider holds until citus-sync reports
     *                      the pause; null when nobody waits for that report
     */
    public record PrimaryStop(Optional<NodeAddress> successor, String awaitingPause) {
        public PrimaryStop {
            java.util.Objects.requireNonNull(successor, "successor");
        }
    }

    private static NodeAddress address(MemberState member) {
        return new NodeAddress(member.endpoints().host(), member.endpoints().port());
    }
}
