package io.steward.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.steward.ctl.CtlRunner.Result;

/** The configuration file, the environment, and trying deciders in order. */
class ConfigurationTest {

    @RegisterExtension
    final CtlFixture fixture = new CtlFixture();
    private final StubDecider decider = fixture.decider();
    private final CtlRunner ctl = fixture.bareCtl();

    @BeforeEach
    void start() {
        decider.on("GET /v1/scopes", 200, "[\"demo\",\"shop\"]");
        decider.on("GET /v1/scopes/demo", 200, Fixtures.DEMO);
    }

    /** A local port nothing listens on. */
    static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void theDefaultFileNamesTheDeciderAndTheScope() throws IOException {
        ctl.file(".config/stewardctl/stewardctl.yaml", "decider: " + decider.url() + "\nscope: demo\n");

        Result result = ctl.run("", "list");

        assertThat(result.exit()).isZero();
        assertThat(result.out()).startsWith("+ Cluster: demo ");
    }

    @Test
    void unknownKeyInTheFileIsNamed() throws IOException {
        Path file = ctl.file("ctl.yaml", "decider: " + decider.url() + "\ndcs_api: etcd://localhost\n");

        Result result = ctl.run("", "-c", file.toString(), "list", "demo");

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("Unknown key 'dcs_api' in " + file + " (known keys: decider, scope, timeout)\n");
        assertThat(decider.requests()).isEmpty();
    }

    @Test
    void aMissingFileNamedOnTheCommandLineIsAnError() {
        Result result = ctl.run("", "list", "demo", "--config-file", fixture.home().resolve("nope.yaml").toString());

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).startsWith("Provided config file " + fixture.home().resolve("nope.yaml") + " not existing");
    }

    @Test
    void theEnvironmentNamesTheFileAndOverridesItsDeciders() throws IOException {
        Path file = ctl.file("ctl.yaml", "decider: [http://127.0.0.1:" + closedPort() + "]\nscope: demo\n");
        ctl.env("STEWARDCTL_CONFIG", file.toString()).env("STEWARD_DECIDER", decider.url().toString());

        Result result = ctl.run("", "list");

        assertThat(result.exit()).isZero();
        assertThat(decider.requests()).hasSize(1);
    }

    @Test
    void noDeciderAnsweringExitsThreeNamingEachUrlAndWhy() throws IOException {
        String first = "http://127.0.0.1:" + closedPort();
        String second = "http://127.0.0.1:" + closedPort();

        Result result = ctl.run("", "--decider", first, "--decider", second, "list", "demo");

        assertThat(result.exit()).isEqualTo(3);
        assertThat(result.err()).isEqualTo("No decider answered:\n  " + first + ": connection refused\n  " + second
                + ": connection refused\n");
    }

    @Test
    void theNextDeciderServesWhenTheFirstIsDown() throws IOException {
        decider.on("POST /v1/scopes/demo/switchover", 202, "switchover from pg1 to pg2 started");
        String down = "http://127.0.0.1:" + closedPort();

        Result result = ctl.run("", "switchover", "demo", "--candidate", "pg2", "--force", "--decider", down,
                "--decider", decider.url().toString());

        assertThat(result.exit()).isZero();
        assertThat(decider.requests()).extracting(StubDecider.Request::method).containsExactly("GET", "POST", "GET");
    }

    @Test
    void aRequestThatWasSentIsNotRepeatedElsewhere() throws IOException {
        try (ServerSocket hangsUp = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> acceptAndClose(hangsUp));
            String flaky = "http://127.0.0.1:" + hangsUp.getLocalPort();

            Result read = ctl.run("", "--decider", flaky, "--decider", decider.url().toString(), "list", "demo");
            Result write = ctl.run("", "--decider", flaky, "--decider", decider.url().toString(), "pause", "demo");

            assertThat(read.exit()).isZero();
            assertThat(write.exit()).isEqualTo(3);
            assertThat(write.err()).startsWith("No decider answered (the request may have been received; check with "
                    + "`stewardctl list`):\n  " + flaky + ": ");
            assertThat(decider.writes()).isEmpty();
        }
    }

    private static void acceptAndClose(ServerSocket server) {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                socket.getInputStream().read(new byte[1024]);
            } catch (IOException e) {
                return;
            }
        }
    }

    @Test
    void aConfiguredScopeLetsTheFirstWordBeAMember() throws IOException {
        ctl.file(".config/stewardctl/stewardctl.yaml", "decider:\n  - " + decider.url() + "\nscope: demo\n");
        decider.on("POST /v1/scopes/demo/reinitialize", 200, "reinitialize started");

        Result result = ctl.run("", "reinit", "pg3", "--force");

        assertThat(result.exit()).isZero();
        assertThat(decider.only("POST").body()).isEqualTo("{\"member\":\"pg3\",\"force\":true}");
    }

    @Test
    void noScopeAnywhereIsAUsageError() {
        Result result = ctl.run("", "--decider", decider.url().toString(), "switchover", "--force");

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("No scope given: name one, or set 'scope:' in the configuration file\n");
    }

    @Test
    void badValuesInTheFileAreNamed() throws IOException {
        Path file = ctl.file("ctl.yaml", "decider: ftp://x\n");
        Path timeout = ctl.file("t.yaml", "timeout: soon\n");

        assertThat(ctl.run("", "-c", file.toString(), "list", "demo").err())
                .isEqualTo("Invalid decider URL 'ftp://x' (decider in " + file + "): expected http://host:port\n");
        assertThat(ctl.run("", "-c", timeout.toString(), "list", "demo").err())
                .isEqualTo("'timeout' in " + timeout + " must be a positive number of seconds, got soon\n");
    }

    @Test
    void bareHostAndPortMeansHttpAndTimeoutIsRead() throws IOException {
        Path file = ctl.file("ctl.yaml", "decider: 127.0.0.1:8080\ntimeout: 2.5\n");

        CtlConfig config = CtlConfig.load(file, null, new CtlEnvironment(null, null, null, java.util.Map.of(), fixture.home(),
                "alice", "ops1", CtlRunner.CLOCK, duration -> true, (command, path) -> 0, new java.util.Random()));

        assertThat(config.deciders()).extracting(Object::toString).containsExactly("http://127.0.0.1:8080");
        assertThat(config.timeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(config.scope()).isNull();
    }

    @Test
    void withoutACommandItPrintsUsageAndExitsTwo() {
        Result result = ctl.run("");

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).startsWith("Usage: stewardctl");
    }
}
