package io.steward.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free TCP ports on 127.0.0.1 for components that a test may stop and start again.
 *
 * <p>Ports come from 20000–32767, below the kernel's ephemeral range (32768–60999), so a port a
 * stopped component held cannot be taken meanwhile by an outgoing connection and the component
 * restarts on the same port. A port handed out once in this JVM is not handed out again.
 */
public final class Ports {

    private static final int LOW = 20_000;
    private static final int HIGH = 32_767;
    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    private Ports() {
    }

    /** A port that is free on 127.0.0.1 right now and not yet handed out by this JVM. */
    public static synchronized int allocate() {
        for (int attempt = 0; attempt < 2_000; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOW, HIGH + 1);
            if (!HANDED_OUT.contains(port) && isFree(port)) {
                HANDED_OUT.add(port);
                return port;
            }
        }
        throw new IllegalStateException("no free loopback port between " + LOW + " and " + HIGH);
    }

    /** Whether something could bind {@code port} on 127.0.0.1 now. */
    public static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
