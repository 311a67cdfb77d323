package io.steward.testkit.net;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which packets between test hosts are dropped, and the nftables rules that means inside each host:
 * an immutable value, so a {@link Network} computes a host's rules apart from applying them.
 *
 * <p>Every rule sits in the <em>receiving</em> host's namespace, in a prerouting chain that drops by
 * source address. A sender therefore sees what it would see on a broken network, silence and
 * time-outs, rather than an "operation not permitted" from its own kernel; and since no rule looks
 * at connection state, established TCP connections go silent as well as new ones. Hosts are named
 * by their addresses; the observer (the test JVM) is never dropped.
 *
 * @param blocks   the directed blocks asked for one by one
 * @param isolated hosts cut from every other host, including hosts made later
 */
public record Cuts(Set<Block> blocks, Set<String> isolated) {

    /** Nothing is dropped. */
    public static final Cuts NONE = new Cuts(Set.of(), Set.of());

    /** The nftables table (family {@code inet}) that holds the rules in each host's namespace. */
    public static final String TABLE = "steward";

    /** Which packets of a block a port limits it to. */
    public enum PortMatch {
        /** Every packet, whatever its ports. */
        ANY,
        /** TCP and UDP packets to the port. */
        DESTINATION,
        /** TCP and UDP packets from the port (a service's replies). */
        SOURCE
    }

    /** Packets from {@code from} to {@code to} are dropped, or only those {@code match} names. */
    public record Block(String from, String to, PortMatch match, int port) {

        /** All packets from {@code from} to {@code to}. */
        public static Block all(String from, String to) {
            return new Block(from, to, PortMatch.ANY, 0);
        }

        /** The nft rule, in the receiver's namespace, that drops these packets. */
        String rule() {
            return switch (match) {
                case ANY -> "ip saddr " + from + " drop";
                case DESTINATION -> "ip saddr " + from + " meta l4proto { tcp, udp } th dport " + port + " drop";
                case SOURCE -> "ip saddr " + from + " meta l4proto { tcp, udp } th sport " + port + " drop";
            };
        }

        boolean involves(String host) {
            return from.equals(host) || to.equals(host);
        }

        @Override
        public String toString() {
            return from + " -> " + to + (match == PortMatch.ANY ? "" : (match == PortMatch.DESTINATION ? ":" : " from :") + port);
        }
    }

    public Cuts {
        blocks = Set.copyOf(blocks);
        isolated = Set.copyOf(isolated);
    }

    /** These cuts and all packets from {@code a} to {@code b}, and back unless one-way, dropped. */
    public Cuts cut(String a, String b, Direction direction) {
        requireDistinct(a, b);
        Set<Block> more = new HashSet<>(blocks);
        more.add(Block.all(a, b));
        if (direction == Direction.BOTH) {
            more.add(Block.all(b, a));
        }
        return new Cuts(more, isolated);
    }

    /**
     * These cuts and the service {@code to:port} unreachable from {@code from}: packets to the port
     * dropped, and (unless one-way) the service's replies to {@code from} as well.
     */
    public Cuts cutPort(String from, String to, int port, Direction direction) {
        requireDistinct(from, to);
        if (port <= 0 || port > 65_535) {
            throw new IllegalArgumentException("not a port: " + port);
        }
        Set<Block> more = new HashSet<>(blocks);
        more.add(new Block(from, to, PortMatch.DESTINATION, port));
        if (direction == Direction.BOTH) {
            more.add(new Block(to, from, PortMatch.SOURCE, port));
        }
        return new Cuts(more, isolated);
    }

    /** These cuts and {@code host} cut from every other host, now and made later. */
    public Cuts isolate(String host) {
        Set<String> more = new HashSet<>(isolated);
        more.add(host);
        return new Cuts(blocks, more);
    }

    /** These cuts without any that involves {@code host}. */
    public Cuts heal(String host) {
        Set<Block> kept = new HashSet<>(blocks);
        kept.removeIf(block -> block.involves(host));
        Set<String> stillIsolated = new HashSet<>(isolated);
        stillIsolated.remove(host);
        return new Cuts(kept, stillIsolated);
    }

    public boolean isEmpty() {
        return blocks.isEmpty() && isolated.isEmpty();
    }

    /** The nft rules {@code receiver} needs among {@code hosts}, sorted, without duplicates. */
    public List<String> rules(String receiver, Collection<String> hosts) {
        Set<String> rules = new TreeSet<>();
        for (Block block : blocks) {
            if (block.to().equals(receiver)) {
                rules.add(block.rule());
            }
        }
        for (String other : hosts) {
            if (!other.equals(receiver) && (isolated.contains(receiver) || isolated.contains(other))) {
                rules.add(Block.all(other, receiver).rule());
            }
        }
        return List.copyOf(rules);
    }

    /**
     * An {@code nft -f} script that replaces the table in {@code receiver}'s namespace with its
     * rules, in one transaction (declaring the table first makes deleting it safe when absent).
     */
    public String script(String receiver, Collection<String> hosts) {
        StringBuilder script = new StringBuilder()
                .append("table inet ").append(TABLE).append('\n')
                .append("delete table inet ").append(TABLE).append('\n')
                .append("table inet ").append(TABLE).append(" {\n")
                .append("  chain cuts {\n")
                .append("    type filter hook prerouting priority raw; policy accept;\n");
        for (String rule : rules(receiver, hosts)) {
            script.append("    ").append(rule).append('\n');
        }
        return script.append("  }\n}\n").toString();
    }

    @Override
    public String toString() {
        if (isEmpty()) {
            return "no cuts";
        }
        return "blocks " + new TreeSet<>(blocks.stream().map(Block::toString).toList())
                + (isolated.isEmpty() ? "" : ", isolated " + new TreeSet<>(isolated));
    }

    private static void requireDistinct(String a, String b) {
        if (a.equals(b)) {
            throw new IllegalArgumentException("a host cannot be cut from itself: " + a);
        }
    }
}
