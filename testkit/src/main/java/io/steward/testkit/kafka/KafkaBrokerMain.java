package io.steward.testkit.kafka;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;

/**
 * Runs one Kafka KRaft node (broker and controller in one process) from a properties file.
 *
 * <p>This is the program {@link KafkaBroker} starts in a child JVM, and the one the local demo
 * runs. It formats the log directory on first start (what {@code kafka-storage format} does),
 * starts the server, prints {@value #READY} once the broker answers a client, and shuts down in
 * an orderly way on SIGTERM.
 */
public final class KafkaBrokerMain {

    /** Printed (followed by the bootstrap address) once clients can use the broker. */
    public static final String READY = "STEWARD-KAFKA-READY";

    private KafkaBrokerMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: KafkaBrokerMain server.properties");
            System.exit(2);
        }
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(Path.of(args[0]))) {
            properties.load(in);
        }
        String logDirectory = properties.getProperty("log.dirs");
        if (!Files.exists(Path.of(logDirectory, "meta.properties"))) {
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(Integer.parseInt(properties.getProperty("node.id")))
                    .setClusterId(Uuid.randomUuid().toString())
                    .setDirectories(List.of(logDirectory))
                    .setMetadataLogDirectory(logDirectory)
                    .setControllerListenerName("CONTROLLER")
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .run();
        }
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(properties), Time.SYSTEM);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdown();
            server.awaitShutdown();
        }, "kafka-shutdown"));
        server.startup();

        String bootstrap = properties.getProperty("advertised.listeners").replace("PLAINTEXT://", "");
        awaitBrokerAnswers(bootstrap);
        System.out.println(READY + " " + bootstrap);
        System.out.flush();
        server.awaitShutdown();
    }

    private static void awaitBrokerAnswers(String bootstrap) throws InterruptedException {
        Properties admin = new Properties();
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        admin.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
        admin.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
        try (Admin client = Admin.create(admin)) {
            while (true) {
                try {
                    if (!client.describeCluster().nodes().get().isEmpty()) {
                        return;
                    }
                } catch (Exception notYet) {
                    // the broker is still starting or not yet unfenced
                }
                Thread.sleep(Duration.ofMillis(50));
            }
        }
    }
}
