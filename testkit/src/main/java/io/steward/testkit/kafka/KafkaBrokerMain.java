package io.steward.testkit.kafka;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

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
 *
 * <p>Two groups of keys in the file are for this program, not for Kafka, and are removed before the
 * server sees them. {@code steward.scram.<user>=<password>} adds a SCRAM-SHA-512 credential when
 * the storage is formatted (what {@code kafka-storage format --add-scram} does), so a secured
 * broker's own and admin users exist before it serves anyone. {@code steward.ready.<property>}
 * are the client properties (security protocol, SASL login, truststore) of the client that checks
 * readiness. A plain file has neither and starts exactly as before.
 */
public final class KafkaBrokerMain {

    /** Printed (followed by the bootstrap address) once clients can use the broker. */
    public static final String READY = "STEWARD-KAFKA-READY";

    /** Prefix of {@code steward.scram.<user>=<password>}: SCRAM users written at format time. */
    public static final String SCRAM_USER_PREFIX = "steward.scram.";

    /** Prefix of the readiness client's own properties, {@code steward.ready.security.protocol=...}. */
    public static final String READY_CLIENT_PREFIX = "steward.ready.";

    private static final String SCRAM_MECHANISM = "SCRAM-SHA-512";

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
        Map<String, String> scramUsers = take(properties, SCRAM_USER_PREFIX);
        Map<String, String> readyClient = take(properties, READY_CLIENT_PREFIX);
        String logDirectory = properties.getProperty("log.dirs");
        if (!Files.exists(Path.of(logDirectory, "meta.properties"))) {
            format(properties, logDirectory, scramUsers);
        }
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(properties), Time.SYSTEM);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdown();
            server.awaitShutdown();
        }, "kafka-shutdown"));
        server.startup();

        String bootstrap = properties.getProperty("advertised.listeners").replaceFirst("^[A-Za-z0-9_]+://", "");
        awaitBrokerAnswers(bootstrap, readyClient);
        System.out.println(READY + " " + bootstrap);
        System.out.flush();
        server.awaitShutdown();
    }

    private static void format(Properties properties, String logDirectory, Map<String, String> scramUsers)
            throws Exception {
        Formatter formatter = new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setNodeId(Integer.parseInt(properties.getProperty("node.id")))
                .setClusterId(Uuid.randomUuid().toString())
                .setDirectories(List.of(logDirectory))
                .setMetadataLogDirectory(logDirectory)
                .setControllerListenerName("CONTROLLER")
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION);
        if (!scramUsers.isEmpty()) {
            List<String> arguments = new ArrayList<>();
            scramUsers.forEach((user, password) ->
                    arguments.add(SCRAM_MECHANISM + "=[name=" + user + ",password=" + password + "]"));
            formatter.setScramArguments(arguments);
        }
        formatter.run();
    }

    /** Removes the keys that start with {@code prefix} and returns them without it. */
    private static Map<String, String> take(Properties properties, String prefix) {
        Map<String, String> taken = new TreeMap<>();
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith(prefix)) {
                taken.put(key.substring(prefix.length()), properties.getProperty(key));
                properties.remove(key);
            }
        }
        return taken;
    }

    private static void awaitBrokerAnswers(String bootstrap, Map<String, String> clientProperties)
            throws InterruptedException {
        Properties admin = new Properties();
        admin.putAll(clientProperties);
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
