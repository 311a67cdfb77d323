package io.steward.testkit.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

import io.steward.testkit.Await;
import io.steward.testkit.Ports;

/**
 * Real headless Chromium against a page served from this JVM: reading, clicking, a range slider,
 * scripts, screenshots, and the failures a test sees when the page is not as expected.
 */
class HeadlessChromiumIT {

    private static final String PAGE = """
            <!doctype html>
            <html>
            <head><meta charset="utf-8"><title>Steward browser smoke</title></head>
            <body>
              <h1 id="heading">Failover audit</h1>
              <button id="promote" onclick="document.getElementById('status').textContent = 'promoted pg2'">Promote</button>
              <p id="status">waiting</p>
              <input id="lag" type="range" min="0" max="100" value="10"
                     oninput="document.getElementById('lag-value').textContent = this.value">
              <span id="lag-value">10</span>
              <input id="note" type="text">
            </body>
            </html>
            """;

    private static final Instant CLASS_STARTED = Instant.now();
    private static HttpServer server;
    private static String url;
    private static HeadlessChromium browser;

    @BeforeAll
    static void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), Ports.allocate()), 0);
        server.createContext("/", exchange -> {
            byte[] body = PAGE.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort() + "/audit";
        browser = HeadlessChromium.start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop(0);
        }
        if (browser != null) {
            browser.close();
            Await.until("chromedriver and Chromium started here to be gone", Duration.ofSeconds(10),
                    () -> ProcessHandle.allProcesses().noneMatch(HeadlessChromiumIT::startedHere));
        }
    }

    /** A live chromedriver or Chromium process (zombies have no command) started by this class. */
    private static boolean startedHere(ProcessHandle process) {
        return process.isAlive() && process.info().command().orElse("").contains("chrom")
                && process.info().startInstant().map(started -> started.isAfter(CLASS_STARTED)).orElse(false);
    }

    @BeforeEach
    void openPage() {
        browser.open(url);
    }

    @Test
    void readsTitleAndText() {
        assertThat(browser.title()).isEqualTo("Steward browser smoke");
        assertThat(browser.text("#heading")).isEqualTo("Failover audit");
    }

    @Test
    void clickRunsThePagesScript() {
        assertThat(browser.text("#status")).isEqualTo("waiting");
        browser.click("#promote");
        assertThat(browser.awaitText("#status", text -> text.startsWith("promoted"), Duration.ofSeconds(5)))
                .isEqualTo("promoted pg2");
    }

    @Test
    void setValueMovesARangeSliderAndFiresItsInputEvent() {
        browser.setValue("#lag", "73");
        assertThat(browser.awaitText("#lag-value", "73"::equals, Duration.ofSeconds(5))).isEqualTo("73");
        assertThat(browser.script("return document.getElementById('lag').valueAsNumber")).isEqualTo(73);
    }

    @Test
    void typeAppendsToAnInput() {
        browser.type("#note", "pg1 ");
        browser.type("#note", "lagging");
        assertThat(browser.script("return document.querySelector(arguments[0]).value", "#note"))
                .isEqualTo("pg1 lagging");
    }

    @Test
    void scriptReturnsDecodedJson() {
        assertThat(browser.script("return arguments[0] + arguments[1]", 40, 2)).isEqualTo(42);
        assertThat(browser.script("return [document.title, true, null]"))
                .isEqualTo(Arrays.asList("Steward browser smoke", true, null));
        assertThat(browser.script("return {node: 'pg2', lag: 1.5}"))
                .isEqualTo(Map.of("node", "pg2", "lag", 1.5));
        assertThat(browser.script("return undefined")).isNull();
    }

    @Test
    void screenshotWritesAPng(@TempDir Path directory) throws IOException {
        Path file = directory.resolve("shots/audit.png");
        browser.screenshot(file);
        byte[] png = Files.readAllBytes(file);
        assertThat(png.length).isGreaterThan(1_000);
        assertThat(List.of(png[0], png[1], png[2], png[3], png[4], png[5], png[6], png[7]))
                .containsExactly((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G', (byte) 0x0D, (byte) 0x0A,
                        (byte) 0x1A, (byte) 0x0A);
    }

    @Test
    void webDriverErrorsAndTimeOutsSayWhatWasSeen() {
        assertThatThrownBy(() -> browser.text("#missing"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no such element").hasMessageContaining("#missing");
        assertThatThrownBy(() -> browser.script("throw new Error('boom')"))
                .hasMessageContaining("javascript error").hasMessageContaining("boom");
        assertThatThrownBy(() -> browser.awaitText("#status", "done"::equals, Duration.ofMillis(300)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("'waiting'").hasMessageContaining(url);
        assertThatThrownBy(() -> browser.awaitText("#missing", text -> true, Duration.ofMillis(300)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("no element matched").hasMessageContaining(url);
    }
}
