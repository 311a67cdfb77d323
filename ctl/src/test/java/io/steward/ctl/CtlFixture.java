package io.steward.ctl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One test's world: a stub decider, a temporary home directory and a runner pointed at the stub.
 * Register it as a field ({@code @RegisterExtension}); JUnit makes a new one per test and this
 * stops the stub and removes the home directory afterwards.
 */
final class CtlFixture implements AfterEachCallback {

    private final Path home;
    private final StubDecider decider;

    CtlFixture() {
        try {
            home = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "stewardctl-home-");
            decider = new StubDecider();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path home() {
        return home;
    }

    StubDecider decider() {
        return decider;
    }

    /** A runner that puts {@code --decider <stub>} before every command line. */
    CtlRunner ctl() {
        return bareCtl().decider(decider.url());
    }

    /** A runner that names no decider: the configuration or the command line must. */
    CtlRunner bareCtl() {
        return new CtlRunner(home);
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        decider.close();
        try (Stream<Path> files = Files.walk(home)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
