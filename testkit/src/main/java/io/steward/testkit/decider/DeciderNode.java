package io.steward.testkit.decider;

import static io.steward.testkit.process.YamlTree.map;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;


import io.steward.testkit.Await;
import io.steward.testkit.Component;
import io.steward.testkit.Ports;
import io.steward.testkit.Testbed;
import io.steward.testkit.etcd.EtcdNode;
import io.steward.testkit.kafka.KafkaBroker;
import io.steward.testkit.net.Host;
import io.steward.testkit.process.ComponentLog;
import io.steward.testkit.process.JavaProgram;
import io.steward.testkit.process.YamlTree;

/**
 * A decision-service instance in a child JVM with its YAML: its REST API on a free port of
 * 127.0.0.1 (or of a test {@link Host}'s address, inside its namespace, when placed there with
 * {@link Builder#on(Host)}), the log's topics with few partitions, a short tick and snapshot
 * interval. It runs {@code io.steward.decider.DeciderApplication} from the test's classpath.
 */
public final class DeciderNode implements Component {

    public static final String MAIN_CLASS = "io.steward.decider.DeciderApplication";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    private final String name;
    private final Host host;
    private final int port;
    private final Path configFile;
    private final JavaProgram program;

    private DeciderNode(Builder builder, Path directory) {
        this.name = builder.name;
        this.host = builder.host;
        this.port = builder.port;
        this.configFile = directory.resolve(name + ".yml");
        write(builder.tree());
        JavaProgram.Builder program = new JavaProgram.Builder(builder.testbed, name, directory)
                .mainClass(MAIN_CLASS).arguments("server", configFile.toString()).on(host);
        builder.jvmOptions.forEach(program::jvmOption);
        this.program = program.build();
    }

    /** Configures a decider; {@link #start()} starts it. */
    public static final class Builder {
        private final Testbed testbed;
        private final String name;
        private final int port = Ports.allocate();
        private final Map<String, Object> overrides = new LinkedHashMap<>();
        private final List<String> jvmOptions = new java.util.ArrayList<>();
        private String etcd;
        private String kafka;
        private Host host;

        public Builder(Testbed testbed, String name) {
            this.testbed = testbed;
            this.name = name;
        }

        /** Runs the decider on {@code host}, its API bound to the host's address. */
        public Builder on(Host host) {
            this.host = host;
            return this;
        }

        public Builder etcd(EtcdNode node) {
            this.etcd = node.endpoint().replaceFirst("^https?://", "");
            return this;
        }

        public Builder kafka(KafkaBroker broker) {
            this.kafka = broker.bootstrapServers();
            return this;
        }

        /** Sets any key of the YAML by its dotted path ("loop.snapshot_interval_s"). */
        public Builder set(String path, Object value) {
            overrides.put(path, value);
            return this;
        }

        /** A JVM option such as a fault-injection property. */
        public Builder jvmOption(String option) {
            jvmOptions.add(option);
            return this;
        }

        public DeciderNode build() {
            return new DeciderNode(this, testbed.directoryFor(name));
        }

        /** Starts it and waits until its API answers. */
        public DeciderNode start() {
            DeciderNode node = build();
            node.start();
            return node;
        }

        Map<String, Object> tree() {
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("instance", name);
            root.put("server", map("type", "simple", "applicationContextPath", "/", "adminContextPath", "/admin",
                    "connector", map("type", "http", "bindHost", Host.addressOf(host), "port", port),
                    "requestLog", map("appenders", List.of())));
            root.put("logging", map("level", "INFO", "loggers", map("org.apache.kafka", "WARN", "io.etcd", "WARN",
                    "io.grpc", "WARN", "io.netty", "WARN", "org.eclipse.jetty", "WARN", "org.glassfish", "WARN"),
                    "appenders", List.of(map("type", "console", "target", "stdout",
                            "logFormat", "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{0}: %msg%n"))));
            root.put("kafka", map("bootstrap_servers", kafka, "partitions", 3));
            root.put("etcd", map("hosts", List.of(etcd)));
            root.put("leadership", map("ttl", 4, "safety_margin", 1));
            root.put("loop", map("tick_interval_ms", 500, "snapshot_interval_s", 3));
            overrides.forEach((path, value) -> YamlTree.put(root, path, value));
            return root;
        }
    }

    private void write(Map<String, Object> tree) {
        YamlTree.write(configFile, tree);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ComponentLog log() {
        return program.log();
    }

    /** {@code http://127.0.0.1:<port>}, or the host's address when on one. */
    public String url() {
        return "http://" + Host.addressOf(host) + ":" + port;
    }

    /** The host it runs on, if it was placed on one. */
    public java.util.Optional<Host> host() {
        return java.util.Optional.ofNullable(host);
    }

    public Path configFile() {
        return configFile;
    }

    public JavaProgram program() {
        return program;
    }

    public boolean isRunning() {
        return program.isRunning();
    }

    /** Starts the JVM and waits until {@code GET /v1/decider} answers. */
    public void start() {
        program.start();
        Await.until(name + "'s API", Duration.ofSeconds(90), () -> {
            if (!program.isRunning()) {
                throw new IllegalStateException(name + " exited:\n" + program.log().tail(80));
            }
            return get("/v1/decider").map(response -> response.statusCode() == 200).orElse(false);
        });
    }

    /** Whether this instance says it leads. */
    public boolean isLeader() {
        return get("/v1/decider").map(response -> response.body().contains("\"leader\":true")).orElse(false);
    }

    /** {@code GET path} on the API, empty when it does not answer. */
    public java.util.Optional<HttpResponse<String>> get(String path) {
        try {
            return java.util.Optional.of(HTTP.send(HttpRequest.newBuilder(URI.create(url() + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            return java.util.Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.Optional.empty();
        }
    }

    /** {@code method path} with a JSON body (or none) on the API. */
    public HttpResponse<String> send(String method, String path, String json) {
        return send(method, path, json, Map.of());
    }

    /** {@code method path} with a JSON body (or none) and extra headers on the API. */
    public HttpResponse<String> send(String method, String path, String json, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(60))
                .header("X-Steward-Actor", "test")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        headers.forEach(request::header);
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGTERM: resigns leadership at once. */
    public void stop() {
        program.stop(Duration.ofSeconds(30));
    }

    public void kill9() {
        program.kill9();
    }

    public void freeze() {
        program.freeze();
    }

    public void thaw() {
        program.thaw();
    }

    @Override
    public void close() {
        program.close();
    }

    @Override
    public String toString() {
        return "decider " + name + " at " + url();
    }
}
