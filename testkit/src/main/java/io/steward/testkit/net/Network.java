package io.steward.testkit.net;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.steward.testkit.Component;
import io.steward.testkit.process.ComponentLog;

/**
 * A network of test hosts on one machine, so that a test can cut exactly one network path between
 * members that would otherwise all share 127.0.0.1.
 *
 * <pre>{@code
 * Network network = testbed.network();
 * Host a = network.host("etcd"), b = network.host("pg1");
 * EtcdNode etcd = testbed.etcd().on(a).start();
 * network.cut(a, b);                        // pg1 and etcd no longer reach each other
 * network.cut(b, a, Direction.ONE_WAY);     // or: pg1's packets to etcd lost, etcd's to pg1 delivered
 * network.isolate(b);                       // pg1 cut from every other host, not from the test
 * network.healAll();
 * }</pre>
 *
 * <p>It is a "switch" namespace holding a Linux bridge; each {@link Host} is a namespace with a veth
 * into the bridge at {@code <subnet>.N}; the root namespace (the test JVM: writers, probers, HTTP
 * calls) has a veth into the bridge at {@code <subnet>.1}, so the test observes every host and no
 * cut ever separates it from one. The subnet is a /24 of 10.231.0.0/16 that no interface is on;
 * hosts have no route anywhere else. Cuts are nftables rules (table {@code inet steward}) inside the
 * receiving hosts' namespaces; see {@link Cuts}.
 *
 * <p>Cleanup does not depend on the test ending well: {@link #close()} (the testbed calls it after
 * the test or class) kills every process in the hosts' namespaces and deletes them; a shutdown hook
 * does the same when the JVM exits; and every new network first removes the namespaces and veths
 * whose names carry the pid of a JVM that no longer runs, which is what a JVM killed by SIGKILL
 * leaves. Processes started on hosts by the test kit carry a parent-death signal as everywhere.
 *
 * <p>Thread-safe.
 */
public final class Network implements Component {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final Set<Network> OPEN = ConcurrentHashMap.newKeySet();
    private static final int MAX_HOSTS = 250;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> OPEN.forEach(network -> {
            try {
                network.close();
            } catch (RuntimeException | AssertionError e) {
                System.err.println("[testkit] cannot remove network " + network.prefix + ": " + e.getMessage());
            }
        }), "testkit-network-reaper"));
    }

    private final String name;
    private final ComponentLog log;
    private final String prefix;
    private final String switchNamespace;
    private final String subnet;
    private final Map<String, Host> hosts = new LinkedHashMap<>();
    private final Map<String, String> appliedScripts = new HashMap<>();
    private Cuts cuts = Cuts.NONE;
    private boolean closed;

    private Network(String name, Path directory) {
        this.name = name;
        this.log = new ComponentLog(directory.resolve(name + ".log"));
        List<String> removed = Namespaces.removeStale(log);
        if (!removed.isEmpty()) {
            log.announce("removed what test JVMs that no longer run left behind: " + removed);
        }
        long pid = ProcessHandle.current().pid();
        this.prefix = Namespaces.prefix(pid, SEQUENCE.incrementAndGet());
        this.switchNamespace = prefix + "-switch";
        OPEN.add(this);
        try {
            this.subnet = Namespaces.claimSubnet(pid, this::createSwitch);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        log.announce("network " + prefix + ": switch " + switchNamespace + ", observer at " + observerAddress()
                + " on " + prefix);
    }

    /**
     * Creates a network whose log goes to {@code directory}; {@link io.steward.testkit.Testbed#network()}
     * calls this and registers the network, which is how tests get one.
     */
    public static Network create(String name, Path directory) {
        return new Network(name, directory);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ComponentLog log() {
        return log;
    }

    /** The network, for instance {@code 10.231.17.0/24}: what pg_hba must allow. */
    public String cidr() {
        return subnet + ".0/24";
    }

    /** The test JVM's own address on the network, {@code <subnet>.1}. */
    public String observerAddress() {
        return subnet + ".1";
    }

    /** A new host {@code name} (lower-case letters, digits, dashes) with the next free address. */
    public synchronized Host host(String name) {
        requireOpen();
        if (!name.matches("[a-z0-9][a-z0-9-]{0,31}") || name.equals("switch")) {
            throw new IllegalArgumentException("a host name is lower-case letters, digits and dashes, not " + name);
        }
        if (hosts.containsKey(name)) {
            throw new IllegalStateException("there is a host " + name + " already");
        }
        if (hosts.size() >= MAX_HOSTS) {
            throw new IllegalStateException("a network has at most " + MAX_HOSTS + " hosts");
        }
        int index = hosts.size() + 2;
        Host host = new Host(this, name, prefix + "-" + name, subnet + "." + index);
        String bridgePort = "h" + index;
        ip("netns", "add", host.namespace());
        ip("-n", switchNamespace, "link", "add", bridgePort, "type", "veth", "peer", "name", "eth0", "netns", host.namespace());
        ip("-n", switchNamespace, "link", "set", bridgePort, "master", "br0", "up");
        ip("-n", host.namespace(), "addr", "add", host.address() + "/24", "dev", "eth0");
        ip("-n", host.namespace(), "link", "set", "eth0", "up");
        ip("-n", host.namespace(), "link", "set", "lo", "up");
        hosts.put(name, host);
        applyCuts();
        log.announce("host " + name + " at " + host.address() + " (namespace " + host.namespace() + ")");
        return host;
    }

    /** The host named {@code name}, if this network has one. */
    public synchronized Optional<Host> find(String name) {
        return Optional.ofNullable(hosts.get(name));
    }

    public synchronized List<Host> hosts() {
        return List.copyOf(hosts.values());
    }

    /** Nothing passes between {@code a} and {@code b} any more, established connections included. */
    public void cut(Host a, Host b) {
        cut(a, b, Direction.BOTH);
    }

    /** Packets from {@code a} to {@code b} are dropped, and unless {@link Direction#ONE_WAY} back too. */
    public synchronized void cut(Host a, Host b, Direction direction) {
        change(cuts.cut(own(a).address(), own(b).address(), direction),
                "cut " + a.name() + (direction == Direction.ONE_WAY ? " -> " : " <-> ") + b.name());
    }

    /**
     * {@code from} no longer reaches the service on {@code to:port} (TCP and UDP): packets to the
     * port are dropped, and unless {@link Direction#ONE_WAY} the service's replies as well. Every
     * other path between the two hosts stays.
     */
    public synchronized void cutPort(Host from, Host to, int port, Direction direction) {
        change(cuts.cutPort(own(from).address(), own(to).address(), port, direction),
                "cut " + from.name() + " -> " + to.name() + ":" + port + (direction == Direction.ONE_WAY ? " one way" : ""));
    }

    /** {@code host} is cut from every other host, present and future, but not from the test JVM. */
    public synchronized void isolate(Host host) {
        change(cuts.isolate(own(host).address()), "isolated " + host.name());
    }

    /** Removes every cut that involves {@code host}, and its isolation. */
    public synchronized void heal(Host host) {
        change(cuts.heal(own(host).address()), "healed " + host.name());
    }

    /** Removes every cut. */
    public synchronized void healAll() {
        change(Cuts.NONE, "healed everything");
    }

    /** The cuts in force. */
    public synchronized Cuts cuts() {
        return cuts;
    }

    /**
     * Kills every process on the hosts and deletes their namespaces, the switch and the observer's
     * veth. Safe to call more than once.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        List<String> namespaces = new ArrayList<>();
        hosts().forEach(host -> namespaces.add(host.namespace()));
        namespaces.add(switchNamespace);
        for (String namespace : namespaces) {
            Namespaces.delete(namespace, log);
        }
        Namespaces.deleteLink(prefix, log);
        OPEN.remove(this);
        log.announce("network " + prefix + " removed");
    }

    @Override
    public String toString() {
        return "network " + prefix + " (" + cidr() + ")";
    }

    private String createSwitch(int octet) {
        String net = "10.231." + octet;
        ip("netns", "add", switchNamespace);
        ip("-n", switchNamespace, "link", "add", "br0", "type", "bridge");
        ip("-n", switchNamespace, "link", "set", "br0", "up");
        ip("link", "add", prefix, "type", "veth", "peer", "name", "up0", "netns", switchNamespace);
        ip("addr", "add", net + ".1/24", "dev", prefix);
        ip("link", "set", prefix, "up");
        ip("-n", switchNamespace, "link", "set", "up0", "master", "br0", "up");
        return net;
    }

    private void change(Cuts changed, String what) {
        requireOpen();
        cuts = changed;
        applyCuts();
        log.announce("network: " + what + " (now " + cuts + ")");
    }

    /** Rewrites the rules of every host whose rules changed. */
    private void applyCuts() {
        List<String> addresses = hosts.values().stream().map(Host::address).toList();
        for (Host host : hosts.values()) {
            String script = cuts.script(host.address(), addresses);
            if (!script.equals(appliedScripts.get(host.name()))) {
                RootCommand.checkedWithInput(log, script, "ip", "netns", "exec", host.namespace(), "nft", "-f", "-");
                appliedScripts.put(host.name(), script);
            }
        }
    }

    private Host own(Host host) {
        if (host.network() != this) {
            throw new IllegalArgumentException(host + " is not on " + this);
        }
        return host;
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException(this + " is closed");
        }
    }

    private void ip(String... arguments) {
        String[] command = new String[arguments.length + 1];
        command[0] = "ip";
        System.arraycopy(arguments, 0, command, 1, arguments.length);
        RootCommand.checked(log, command);
    }
}
