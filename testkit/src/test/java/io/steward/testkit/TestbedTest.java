package io.steward.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineTestKit;

import io.steward.testkit.process.ComponentLog;

/** Runs small test classes through the JUnit engine and checks what the testbed did around them. */
class TestbedTest {

    static final List<String> closed = new ArrayList<>();

    /** A component without a process: it only writes to its log and records that it was closed. */
    record FakeComponent(String name, ComponentLog log) implements Component {
        static FakeComponent start(Testbed testbed, String name) {
            FakeComponent component = new FakeComponent(name,
                    new ComponentLog(testbed.directoryFor(name).resolve(name + ".log")));
            component.log.note("written before the test: " + name);
            return testbed.register(component);
        }

        @Override
        public void close() {
            closed.add(name);
        }
    }

    static class FailingTest {
        @RegisterExtension
        static final Testbed testbed = new Testbed();

        @Test
        void fails() {
            FakeComponent component = FakeComponent.start(testbed, "fake-db");
            component.log().note("the clue that explains the failure");
            throw new AssertionError("boom");
        }
    }

    @org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.MethodName.class)
    static class PassingTest {
        @RegisterExtension
        static final Testbed testbed = new Testbed();
        static FakeComponent classLevel;

        @org.junit.jupiter.api.BeforeAll
        static void startShared() {
            classLevel = FakeComponent.start(testbed, "shared");
        }

        @Test
        void first() {
            FakeComponent.start(testbed, "per-test");
            classLevel.log().note("quiet success");
        }

        @Test
        void second() {
            assertThat(closed).containsExactly("per-test");
        }
    }

    @Test
    void printsWhatEachComponentLoggedDuringAFailedTestAndClosesIt() {
        closed.clear();
        String output = captureStdout(() -> EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(FailingTest.class)).execute()
                .testEvents().assertStatistics(stats -> stats.failed(1)));

        assertThat(output).contains("===== fake-db log during 'fails()'")
                .contains("the clue that explains the failure");
        assertThat(closed).containsExactly("fake-db");
    }

    @Test
    void closesTestComponentsAfterEachTestAndClassComponentsAfterTheClassPrintingNothing() {
        closed.clear();
        String output = captureStdout(() -> EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(PassingTest.class)).execute()
                .testEvents().assertStatistics(stats -> stats.succeeded(2)));

        assertThat(closed).containsExactly("per-test", "shared");
        assertThat(output).doesNotContain("=====");
    }

    private static String captureStdout(Runnable action) {
        PrintStream original = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setOut(original);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }
}
