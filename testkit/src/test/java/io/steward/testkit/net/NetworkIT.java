package io.steward.testkit.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Node;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.steward.testkit.Await;
import io.steward.testkit.Ports;
import io.steward.testkit.Testbed;
import io.steward.testkit.Timing;
import io.steward.testkit.etcd.EtcdNode;
import io.steward.testkit.kafka.KafkaBroker;
import io.steward.testkit.process.JavaProgram;

/**
 * Test hosts on real processes: who reaches whom before and after a cut, one-way cuts, isolation
 * that spares the observer, established connections going silent, and the cleanup of what a dead
 * test JVM left behind.
 */
class NetworkIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    static final Testbed testbed = new Testbed();

    @Test
    void aCutSeparatesTwoHostsWhileTheThirdAndTheObserverStillReachBoth() {
        Network network = testbed.network();
        Host a = network.host("a");
        Host b = network.host("b");
        Host c = network.host("c");
        EtcdNode etcd = testbed.etcd().on(a).start();
        int port = etcd.clientPort();

        assertThat(etcd.endpoint()).isEqualTo("http://" + a.address() + ":" + port);
        assertThat(b.canConnect(a.address(), port)).as("b reaches etcd on a").isTrue();
        assertThat(b.canConnect("127.0.0.1", port)).as("etcd is not on b's own loopback").isFalse();

        network.cut(a, b);
        assertThat(b.canConnect(a.address(), port)).as("b reaches etcd on a after the cut").isFalse();
        assertThat(c.canConnect(a.address(), port)).as("c reaches etcd on a").isTrue();
        assertThat(etcd.isHealthy()).as("the observer reaches etcd").isTrue();

        network.heal(b);
        assertThat(b.canConnect(a.address(), port)).as("b reaches etcd on a once healed").isTrue();
    }

    @Test
    void anIsolatedHostStillAnswersTheObserverAndHealingRestoresIt() throws IOException {
        Network network = testbed.network();
        Host a = network.host("a");
        Host b = network.host("b");
        EtcdNode onA = testbed.etcd("etcd-a").on(a).start();
        EtcdNode onB = testbed.etcd("etcd-b").on(b).start();

        network.isolate(a);
        Host later = network.host("later");
        try (ServerSocket observer = new ServerSocket(0, 50, InetAddress.getByName(network.observerAddress()))) {
            assertThat(b.canConnect(a.address(), onA.clientPort())).as("b reaches a").isFalse();
            assertThat(a.canConnect(b.address(), onB.clientPort())).as("a reaches b").isFalse();
            assertThat(later.canConnect(a.address(), onA.clientPort())).as("a host made after the isolation reaches a").isFalse();
            assertThat(onA.isHealthy()).as("the observer reaches a").isTrue();
            assertThat(a.canConnect(network.observerAddress(), observer.getLocalPort())).as("a reaches the observer").isTrue();
        }

        network.healAll();
        assertThat(b.canConnect(a.address(), onA.clientPort())).as("b reaches a once healed").isTrue();
        assertThat(a.canConnect(b.address(), onB.clientPort())).as("a reaches b once healed").isTrue();
        assertThat(network.cuts().isEmpty()).isTrue();
    }

    @Test
    void aOneWayCutDropsOnlyThePacketsOfThatDirection() throws IOException {
        Network network = testbed.network();
        Host a = network.host("a");
        Host b = network.host("b");
        int port = Ports.allocate();
        JavaProgram sinkA = probe("sink-a", a, "udp-sink", a.address(), port);
        JavaProgram sinkB = probe("sink-b", b, "udp-sink", b.address(), port);
        long markA = sinkA.log().mark();
        long markB = sinkB.log().mark();

        network.cut(a, b, Direction.ONE_WAY);
        assertThat(b.succeeds("bash", "-c", "echo from-b > /dev/udp/" + a.address() + "/" + port)).isTrue();
        assertThat(a.succeeds("bash", "-c", "echo from-a > /dev/udp/" + b.address() + "/" + port)).isTrue();
        sendUdp("from-observer", b.address(), port);

        Await.until("a to receive b's datagram", WAIT, () -> sinkA.log().containsSince(markA, "received from-b"));
        Await.until("b to receive the observer's datagram", WAIT, () -> sinkB.log().containsSince(markB, "received from-observer"));
        Await.sleep(Timing.seconds(0.5));
        assertThat(sinkB.log().since(markB)).as("what b received").doesNotContain("from-a");
    }

    @Test
    void anEstablishedConnectionGoesSilentWhenCutAndCarriesOnWhenHealed() {
        Network network = testbed.network();
        Host server = network.host("server");
        Host client = network.host("client");
        int port = Ports.allocate();
        probe("echo", server, "tcp-echo", server.address(), Integer.toString(port));
        JavaProgram pinger = probe("pinger", client, "tcp-ping", server.address(), Integer.toString(port));
        Await.until("pongs", WAIT, () -> pinger.log().containsSince(0, "pong"));

        network.cut(server, client);
        Await.sleep(Timing.seconds(0.5));
        long cut = pinger.log().mark();
        Await.until("silence on the established connection", WAIT, () -> pinger.log().containsSince(cut, "silent"));
        assertThat(pinger.log().since(cut)).as("what the client saw during the cut").doesNotContain("pong");

        network.healAll();
        long healed = pinger.log().mark();
        Await.until("pongs on the same connection again", WAIT, () -> pinger.log().containsSince(healed, "pong"));
        assertThat(pinger.log().since(0)).as("the client's whole output").doesNotContain("closed")
                .containsOnlyOnce("connected");
    }

    @Test
    void aPortCutClosesOneServiceAndLeavesTheOthers() {
        Network network = testbed.network();
        Host a = network.host("a");
        Host b = network.host("b");
        EtcdNode etcd = testbed.etcd().on(a).start();
        int echoPort = Ports.allocate();
        probe("echo", a, "tcp-echo", a.address(), Integer.toString(echoPort));

        network.cutPort(b, a, echoPort, Direction.BOTH);
        assertThat(b.canConnect(a.address(), echoPort)).as("b reaches the cut port").isFalse();
        assertThat(b.canConnect(a.address(), etcd.clientPort())).as("b reaches etcd on the same host").isTrue();
    }

    @Test
    void kafkaAndEtcdOnTheirOwnHostsAdvertiseThoseHosts() throws Exception {
        Network network = testbed.network();
        Host kafkaHost = network.host("kafka");
        Host etcdHost = network.host("etcd");
        KafkaBroker kafka = testbed.kafka().on(kafkaHost).start();
        EtcdNode etcd = testbed.etcd().on(etcdHost).start();

        assertThat(kafka.bootstrapServers()).startsWith(kafkaHost.address() + ":");
        assertThat(etcd.endpoint()).startsWith("http://" + etcdHost.address() + ":");
        Properties admin = new Properties();
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (Admin client = Admin.create(admin)) {
            List<String> hosts = client.describeCluster().nodes().get(30, TimeUnit.SECONDS).stream().map(Node::host).toList();
            assertThat(hosts).as("the broker's advertised hosts").containsExactly(kafkaHost.address());
        }
        assertThat(etcdHost.canConnect(kafkaHost.address(), Integer.parseInt(kafka.bootstrapServers().split(":")[1])))
                .as("etcd's host reaches the broker").isTrue();
    }

    @Test
    void theNextNetworkRemovesWhatADeadTestJvmLeftBehind() throws Exception {
        Network mine = testbed.network();
        Host survivor = mine.host("survivor");
        long dead = deadPid();
        String prefix = Namespaces.prefix(dead, 1);
        String namespace = prefix + "-pg1";
        RootCommand.checked(null, "ip", "netns", "add", namespace);
        RootCommand.checked(null, "ip", "link", "add", prefix, "type", "veth", "peer", "name", "eth0", "netns", namespace);
        Process orphan = new ProcessBuilder("ip", "netns", "exec", namespace, "timeout", "120", "sleep", "120").start();
        Await.until("the orphan in " + namespace, WAIT, () -> !Namespaces.pids(namespace).isEmpty());

        testbed.network();

        assertThat(Namespaces.namespaces()).as("namespaces").doesNotContain(namespace).contains(survivor.namespace());
        assertThat(orphan.waitFor(Timing.seconds(10).toSeconds(), TimeUnit.SECONDS)).as("the orphan is killed").isTrue();
        Await.until("the dead JVM's veth to go", WAIT, () -> !Namespaces.rootLinks().contains(prefix));
    }

    private static JavaProgram probe(String name, Host host, String... arguments) {
        return testbed.javaProgram(name).mainClass(NetProbeMain.class.getName()).arguments(arguments)
                .on(host).readyWhenLogged(arguments[0].equals("tcp-ping") ? "connected" : "listening").start();
    }

    private static JavaProgram probe(String name, Host host, String mode, String address, int port) {
        return probe(name, host, mode, address, Integer.toString(port));
    }

    private static void sendUdp(String text, String address, int port) throws IOException {
        try (DatagramSocket socket = new DatagramSocket()) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            socket.send(new DatagramPacket(bytes, bytes.length, new InetSocketAddress(address, port)));
        }
    }

    /** The pid of a process that has just ended, and so no live JVM's. */
    private static long deadPid() throws Exception {
        Process process = new ProcessBuilder("true").start();
        process.waitFor();
        long pid = process.pid();
        Await.until("pid " + pid + " to be gone", WAIT, () -> ProcessHandle.of(pid).isEmpty());
        return pid;
    }
}
