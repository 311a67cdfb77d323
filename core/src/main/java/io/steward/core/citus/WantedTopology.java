package io.steward.core.citus;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.steward.core.model.MemberState;
import io.steward.core.state.ClusterState;
import io.steward.core.state.GroupState;

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
     * The worker groups whose leader is changing now (a failover or switchover under way, or a
     * leader held failed), each with the address of the member taking over when the decider has
     * chosen one. Statements through the coordinator to such a group should wait until that member
     * is registered as its primary, rather than fail against the old one. The coordinator group is
     * never among them: citus-sync needs it.
     */
    public static java.util.SortedMap<Integer, Optional<NodeAddress>> leaderChanges(ClusterState state, String scope) {
        java.util.SortedMap<Integer, Optional<NodeAddress>> changes = new java.util.TreeMap<>();
        for (GroupState group : state.scope(scope)) {
            if (group.id().group() == 0) {
                continue;
            }
            String to = switch (group.transition()) {
                case io.steward.core.state.Transition.Promotion promotion -> promotion.to();
                case io.steward.core.state.Transition.Demotion demotion -> demotion.to();
                case null -> null;
            };
            boolean leaderFailed = group.leaderMember().map(MemberState::isFailed).orElse(false);
            if (group.transition() != null || leaderFailed) {
                changes.put(group.id().group(), group.member(to).map(WantedTopology::address));
            }
        }
        return changes;
    }

    private static NodeAddress address(MemberState member) {
        return new NodeAddress(member.endpoints().host(), member.endpoints().port());
    }
}
