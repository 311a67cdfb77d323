package io.steward.testkit.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.steward.testkit.Await;
import io.steward.testkit.Ports;
import io.steward.testkit.Timing;
import io.steward.testkit.process.ChildProcess;
import io.steward.testkit.process.ComponentLog;
import io.steward.testkit.process.RunAs;

/**
 * A real headless Chromium (Debian's {@code chromium}) driven by {@code chromedriver} (Debian's
 * {@code chromium-driver}) over the W3C WebDriver HTTP protocol, for tests of pages in a browser.
 *
 * <p>Each instance runs its own chromedriver on a free 127.0.0.1 port with one browser session.
 * Chromium runs with {@code --no-sandbox}, so it also works when the tests run as root. Elements are
 * found by CSS selector, first match. A WebDriver error becomes an {@link IllegalStateException} that
 * names the WebDriver error and its message.
 *
 * <p>{@link #close()} ends the session and kills chromedriver and every browser process; the JVM's
 * exit does the same for browsers left open. Only a JVM killed by SIGKILL leaves Chromium running:
 * it is chromedriver's child, not the JVM's, so no parent-death signal reaches it.
 *
 * <p>Not thread-safe.
 */
public final class HeadlessChromium implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    private static final List<String> ARGS = List.of("--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--window-size=1400,1000");
    /** The W3C key under which WebDriver returns an element reference. */
    private static final String ELEMENT = "element-6066-11e4-a52e-4f735466cecf";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    /** Chromium outlives a killed chromedriver, so the JVM's exit kills the browsers still open. */
    private static final Set<HeadlessChromium> OPEN = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(
                () -> OPEN.forEach(HeadlessChromium::killBrowser), "testkit-chromium-reaper"));
    }

    private final ComponentLog log;
    private final ChildProcess driver;
    private final String endpoint;
    private String session;
    private long browserPid = -1;
    private boolean closed;

    /** Starts chromedriver and a browser session; fails with the tail of chromedriver's log. */
    public static HeadlessChromium start() {
        return new HeadlessChromium(binary("steward.chromedriver.bin", "/usr/bin/chromedriver", "chromium-driver"),
                binary("steward.chromium.bin", "/usr/bin/chromium", "chromium"));
    }

    private HeadlessChromium(String chromedriver, String chromium) {
        try {
            log = new ComponentLog(Files.createTempFile("steward-chromedriver", ".log"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create chromedriver's log file", e);
        }
        int port = Ports.allocate();
        endpoint = "http://127.0.0.1:" + port;
        driver = ChildProcess.start(List.of(chromedriver, "--port=" + port, "--log-level=INFO"), RunAs.CURRENT,
                log.file().getParent(), Map.of(), log);
        try {
            Await.until("chromedriver ready on port " + port, START_TIMEOUT,
                    () -> !driver.isAlive() || send("GET", "/status", null).path("ready").asBoolean());
            JsonNode created = send("POST", "/session", Map.of("capabilities", Map.of("alwaysMatch", Map.of(
                    "browserName", "chrome", "goog:chromeOptions", Map.of("binary", chromium, "args", ARGS)))));
            session = created.path("sessionId").asText();
            browserPid = created.path("capabilities").path("goog:processID").asLong(-1);
            OPEN.add(this);
        } catch (RuntimeException | AssertionError e) {
            String tail = log.tail(40);
            close();
            throw new IllegalStateException("headless Chromium did not start; chromedriver's log ends:\n" + tail, e);
        }
    }

    /** Navigates to {@code url} and waits until the page has loaded. */
    public void open(String url) {
        command("POST", "/url", Map.of("url", url));
    }

    public String title() {
        return command("GET", "/title", null).asText();
    }

    /**
     * Runs {@code js} as the body of a function ({@code arguments[i]} are {@code args}) and returns
     * what it returns, decoded from JSON: null, a String, Boolean, Integer, Long, Double, List or Map.
     */
    public Object script(String js, Object... args) {
        return JSON.convertValue(command("POST", "/execute/sync",
                Map.of("script", js, "args", Arrays.asList(args))), Object.class);
    }

    /** The visible text of the first element matching {@code cssSelector}. */
    public String text(String cssSelector) {
        return command("GET", "/element/" + find(cssSelector) + "/text", null).asText();
    }

    public void click(String cssSelector) {
        command("POST", "/element/" + find(cssSelector) + "/click", Map.of());
    }

    /** Types {@code text} into the element as a user would, after what it already holds. */
    public void type(String cssSelector, String text) {
        command("POST", "/element/" + find(cssSelector) + "/value", Map.of("text", text));
    }

    /**
     * Sets an {@code <input>}'s value and dispatches {@code input} and {@code change}, as dragging a
     * range slider does (WebDriver cannot type into one).
     */
    public void setValue(String cssSelector, String value) {
        script("""
                const input = document.querySelector(arguments[0]);
                if (!input) throw new Error('no element matches ' + arguments[0]);
                Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(input, arguments[1]);
                input.dispatchEvent(new Event('input', {bubbles: true}));
                input.dispatchEvent(new Event('change', {bubbles: true}));
                """, cssSelector, value);
    }

    /**
     * Waits until an element matches {@code cssSelector} and its visible text satisfies
     * {@code condition}, and returns that text.
     *
     * @param timeout the unscaled timeout; {@link Timing} scales it
     * @throws AssertionError on time-out, with the last text seen and the page's URL
     */
    public String awaitText(String cssSelector, Predicate<String> condition, Duration timeout) {
        String[] last = {null};
        try {
            return Await.value("the text of '" + cssSelector + "' to satisfy the condition", timeout, () -> {
                last[0] = text(cssSelector);
                return condition.test(last[0]) ? Optional.of(last[0]) : Optional.empty();
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; last text: "
                    + (last[0] == null ? "(no element matched)" : "'" + last[0] + "'") + "; page: " + pageUrl(), e);
        }
    }

    /** Writes a PNG of the viewport to {@code file}. */
    public void screenshot(Path file) {
        byte[] png = Base64.getMimeDecoder().decode(command("GET", "/screenshot", null).asText());
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, png);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Ends the session, then kills chromedriver and every browser process it started. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (session != null && driver.isAlive()) {
                send("DELETE", "/session/" + session, null);
            }
        } catch (RuntimeException e) {
            log.note("ending the WebDriver session failed: " + e.getMessage());
        } finally {
            List<ProcessHandle> tree = driver.descendants();
            tree.forEach(ProcessHandle::destroyForcibly);
            killBrowser();
            driver.kill();
            tree.forEach(process -> process.onExit().completeOnTimeout(process, 10, TimeUnit.SECONDS).join());
            OPEN.remove(this);
            log.file().toFile().delete();
        }
    }

    private String pageUrl() {
        try {
            return command("GET", "/url", null).asText();
        } catch (RuntimeException e) {
            return "(unknown: " + e.getMessage() + ")";
        }
    }

    private String find(String cssSelector) {
        return command("POST", "/element", Map.of("using", "css selector", "value", cssSelector)).path(ELEMENT).asText();
    }

    private JsonNode command(String method, String path, Object body) {
        if (session == null || closed) {
            throw new IllegalStateException("the browser is closed");
        }
        return send(method, "/session/" + session + path, body);
    }

    /** Sends one WebDriver request and returns its {@code value}. */
    private JsonNode send(String method, String path, Object body) {
        String command = method + " " + path;
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint + path))
                    .timeout(Timing.scaled(COMMAND_TIMEOUT))
                    .header("Content-Type", "application/json; charset=utf-8")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                    .build();
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode value = JSON.readTree(response.body()).path("value");
            if (response.statusCode() >= 400 || value.has("error")) {
                String error = value.path("error").asText("HTTP " + response.statusCode());
                String message = value.path("message").asText(response.body());
                throw new IllegalStateException("WebDriver " + command + " failed: "
                        + (message.startsWith(error) ? message : error + ": " + message));
            }
            return value;
        } catch (IOException e) {
            throw new UncheckedIOException("WebDriver " + command + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during WebDriver " + command, e);
        }
    }

    /** Kills the browser's main process and its children; they do not die with chromedriver. */
    private void killBrowser() {
        ProcessHandle.of(browserPid).ifPresent(browser -> {
            browser.descendants().forEach(ProcessHandle::destroyForcibly);
            browser.destroyForcibly();
        });
    }

    private static String binary(String property, String fallback, String debianPackage) {
        String path = System.getProperty(property, fallback);
        if (!Files.isExecutable(Path.of(path))) {
            throw new IllegalStateException(path + " is missing: install Debian's " + debianPackage + " package "
                    + "(scripts/setup-machine.sh does) or point -D" + property + " at one");
        }
        return path;
    }
}
