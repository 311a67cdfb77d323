package io.steward.testkit.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A tiny network program that {@link NetworkIT} runs on test hosts, printing what it sees:
 * <ul>
 * <li>{@code udp-sink ADDRESS PORT}: prints {@code received TEXT} for every datagram;</li>
 * <li>{@code tcp-echo ADDRESS PORT}: echoes every byte back, to any number of clients;</li>
 * <li>{@code tcp-ping ADDRESS PORT}: opens <em>one</em> connection and never another, sends a line
 *     every 100 ms and prints {@code pong} for every line echoed back, {@code silent} when none
 *     came within 300 ms.</li>
 * </ul>
 * Each prints {@code listening} or {@code connected} when ready.
 */
public final class NetProbeMain {

    private NetProbeMain() {
    }

    public static void main(String[] args) throws Exception {
        InetAddress address = InetAddress.getByName(args[1]);
        int port = Integer.parseInt(args[2]);
        switch (args[0]) {
            case "udp-sink" -> udpSink(address, port);
            case "tcp-echo" -> tcpEcho(address, port);
            case "tcp-ping" -> tcpPing(address, port);
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    private static void udpSink(InetAddress address, int port) throws IOException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(address, port))) {
            say("listening");
            byte[] buffer = new byte[1500];
            while (true) {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                socket.receive(packet);
                say("received " + new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8).strip());
            }
        }
    }

    private static void tcpEcho(InetAddress address, int port) throws IOException {
        try (ServerSocket server = new ServerSocket(port, 50, address)) {
            say("listening");
            while (true) {
                Socket client = server.accept();
                Thread.ofPlatform().daemon().start(() -> {
                    try (client; InputStream in = client.getInputStream(); OutputStream out = client.getOutputStream()) {
                        in.transferTo(out);
                    } catch (IOException e) {
                        say("client gone: " + e.getMessage());
                    }
                });
            }
        }
    }

    private static void tcpPing(InetAddress address, int port) throws IOException, InterruptedException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 2_000);
            socket.setSoTimeout(300);
            say("connected");
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            byte[] buffer = new byte[4096];
            for (long n = 1; ; n++) {
                out.write(("ping " + n + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                try {
                    int read = in.read(buffer);
                    if (read < 0) {
                        say("closed");
                        return;
                    }
                    say("pong");
                } catch (SocketTimeoutException e) {
                    say("silent");
                }
                Thread.sleep(100);
            }
        }
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
