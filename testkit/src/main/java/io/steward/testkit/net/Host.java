package io.steward.testkit.net;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.steward.testkit.Timing;
import io.steward.testkit.process.RunAs;

/**
 * A test host: a network namespace of its {@link Network} with loopback and one interface into the
 * network's switch, at {@code <subnet>.N}. A component placed on it ({@code .on(host)} on its
 * builder) runs inside the namespace, listens on {@link #address()} and advertises that address;
 * whatever the component starts (an agent's PostgreSQL) inherits the namespace.
 *
 * <p>Immutable and thread-safe; the namespace itself lives until its network is closed.
 */
public final class Host {

    private final Network network;
    private final String name;
    private final String namespace;
    private final String address;

    Host(Network network, String name, String namespace, String address) {
        this.network = network;
        this.name = name;
        this.namespace = namespace;
        this.address = address;
    }

    /** The name the test gave it ("pg1", "etcd"). */
    public String name() {
        return name;
    }

    /** The network namespace, {@code stw<pid>n<k>-<name>}. */
    public String namespace() {
        return namespace;
    }

    /** Its IPv4 address on the network, for instance {@code 10.231.17.3}. */
    public String address() {
        return address;
    }

    public Network network() {
        return network;
    }

    /** Where a component not placed on any host listens: loopback of the root namespace. */
    public static final String LOOPBACK = "127.0.0.1";

    /** The address a component on {@code host} listens on: the host's, or {@link #LOOPBACK} for none. */
    public static String addressOf(Host host) {
        return host == null ? LOOPBACK : host.address();
    }

    /** {@code runAs} inside {@code host}'s namespace, or unchanged for none: how components start. */
    public static RunAs placed(Host host, RunAs runAs) {
        return host == null ? runAs : runAs.in(host.namespace());
    }

    /** The processes running on this host now. */
    public List<Long> pids() {
        return Namespaces.pids(namespace);
    }

    /** The host loses power: SIGKILL to every process on it, and waits until they are gone. */
    public void killAll() {
        Namespaces.killAll(namespace);
        network.log().announce("host " + name + ": every process killed");
    }

    /**
     * Runs a short command inside this host's namespace (as root) and returns whether it exited 0;
     * for checks such as sending a UDP datagram with bash's {@code /dev/udp}.
     */
    public boolean succeeds(String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(List.of(command));
        return RootCommand.run(network.log(), null, full).succeeded();
    }

    /** Whether a TCP connection from this host to {@code address:port} opens within a second (scaled). */
    public boolean canConnect(String address, int port) {
        String seconds = String.format(Locale.ROOT, "%.1f", Timing.seconds(1).toMillis() / 1000.0);
        return succeeds("timeout", seconds, "bash", "-c", "exec 3<>/dev/tcp/" + address + "/" + port);
    }

    @Override
    public String toString() {
        return "host " + name + " (" + address + ")";
    }
}
