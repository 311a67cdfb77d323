package io.steward.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import io.steward.testkit.agent.AgentNode;
import io.steward.testkit.decider.DeciderNode;
import io.steward.testkit.etcd.EtcdNode;
import io.steward.testkit.kafka.KafkaBroker;
import io.steward.testkit.net.Network;
import io.steward.testkit.postgres.PostgresNode;
import io.steward.testkit.process.JavaProgram;

/**
 * The JUnit 5 extension that owns the real components of a test class.
 *
 * <pre>{@code
 * @RegisterExtension static final Testbed testbed = new Testbed();
 *
 * @Test void replicaStreams() {
 *     PostgresNode primary = testbed.postgres("pg1").start();
 *     PostgresNode replica = primary.startReplica("pg2");
 *     ...
 * }
 * }</pre>
 *
 * <p>Components started while a test method runs are stopped after that method; components started
 * in {@code @BeforeAll} (or before any test) are stopped after the class. Data lives under
 * {@code target/testkit/<TestClass>/<component>} and is kept for inspection; it is wiped when the
 * same test class runs again. When a test fails, the testbed prints what each component logged
 * during that test. Children die with the JVM (see {@link io.steward.testkit.process.ChildProcess}),
 * so nothing keeps running when a test is killed.
 */
public final class Testbed implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    private static final int MAX_PRINTED_LINES = 300;

    private final Deque<Component> classComponents = new ArrayDeque<>();
    private final Deque<Component> testComponents = new ArrayDeque<>();
    private final Map<Component, Long> logMarks = new LinkedHashMap<>();
    private Path classDirectory;
    private boolean insideTest;

    /** A PostgreSQL 15 instance to configure and start. */
    public PostgresNode.Builder postgres(String name) {
        return new PostgresNode.Builder(this, name);
    }

    /** A single etcd 3.4 node to configure and start. */
    public EtcdNode.Builder etcd() {
        return etcd("etcd");
    }

    /** A single etcd 3.4 node with the given name. */
    public EtcdNode.Builder etcd(String name) {
        return new EtcdNode.Builder(this, name);
    }

    /** A single-node Kafka KRaft broker to configure and start. */
    public KafkaBroker.Builder kafka() {
        return new KafkaBroker.Builder(this, "kafka");
    }

    /** A Steward node agent (child JVM) with its Patroni-style YAML, to configure and start. */
    public AgentNode.Builder agent(String name) {
        return new AgentNode.Builder(this, name);
    }

    /** A decision-service instance (child JVM) with its YAML, to configure and start. */
    public DeciderNode.Builder decider(String name) {
        return new DeciderNode.Builder(this, name);
    }

    /**
     * A network of test hosts (network namespaces behind one switch), so that components placed on
     * its hosts with {@code .on(host)} can be cut from each other while the test reaches them all.
     */
    public Network network() {
        return register(Network.create("network", directoryFor("network")));
    }

    /** A program of this repository (decider, citus-sync) in a child JVM, to configure and start. */
    public JavaProgram.Builder javaProgram(String name) {
        return new JavaProgram.Builder(this, name, null);
    }

    /**
     * A fresh, empty directory for a component, owned by the test class.
     * Called by component builders; tests rarely need it.
     */
    public Path directoryFor(String componentName) {
        Path directory = classDirectory().resolve(componentName);
        deleteRecursively(directory);
        try {
            return Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Registers a started component so that the testbed stops it. Called by builders. */
    public synchronized <C extends Component> C register(C component) {
        (insideTest ? testComponents : classComponents).push(component);
        logMarks.put(component, component.log().mark());
        return component;
    }

    /** Every component currently owned, class-level first. */
    public synchronized List<Component> components() {
        List<Component> all = new ArrayList<>(classComponents);
        all.addAll(testComponents);
        return all;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        classDirectory = baseDirectory().resolve(context.getRequiredTestClass().getSimpleName());
        deleteRecursively(classDirectory);
    }

    @Override
    public synchronized void beforeEach(ExtensionContext context) {
        if (classDirectory == null) {
            beforeAll(context);
        }
        insideTest = true;
        logMarks.replaceAll((component, mark) -> component.log().mark());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        synchronized (this) {
            insideTest = false;
        }
        if (context.getExecutionException().isPresent()) {
            printLogs(context.getDisplayName());
        }
        closeAll(testComponents);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        closeAll(classComponents);
    }

    private void printLogs(String testName) {
        StringBuilder out = new StringBuilder();
        for (Component component : components()) {
            String text = component.log().since(logMarks.getOrDefault(component, 0L));
            String[] lines = text.split("\\R");
            int from = Math.max(0, lines.length - MAX_PRINTED_LINES);
            out.append("\n===== ").append(component.name()).append(" log during '").append(testName)
                    .append("' (").append(component.log().file()).append(") =====\n");
            if (from > 0) {
                out.append("... ").append(from).append(" earlier lines in the file ...\n");
            }
            for (int i = from; i < lines.length; i++) {
                out.append(lines[i]).append('\n');
            }
        }
        System.out.println(out);
    }

    private void closeAll(Deque<Component> components) {
        RuntimeException failure = null;
        while (true) {
            Component component;
            synchronized (this) {
                component = components.poll();
                if (component != null) {
                    logMarks.remove(component);
                }
            }
            if (component == null) {
                break;
            }
            try {
                component.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private Path classDirectory() {
        if (classDirectory == null) {
            // Used outside JUnit's lifecycle (from a main program, say): one directory per testbed.
            classDirectory = baseDirectory().resolve("adhoc-" + ProcessHandle.current().pid());
        }
        return classDirectory;
    }

    /**
     * {@code target/testkit} of the module under test; {@code <root>/<module>} when
     * {@code -Dsteward.testkit.root} is set (a place the postgres user can reach); or
     * {@code -Dsteward.testkit.dir}.
     */
    static Path baseDirectory() {
        String dir = System.getProperty("steward.testkit.dir", "");
        if (!dir.isBlank()) {
            return Path.of(dir).toAbsolutePath();
        }
        String root = System.getProperty("steward.testkit.root", "");
        if (!root.isBlank()) {
            return Path.of(root, Path.of("").toAbsolutePath().getFileName().toString());
        }
        return Path.of("target/testkit").toAbsolutePath();
    }

    static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + directory, e);
        }
    }
}
