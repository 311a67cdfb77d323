package io.steward.testkit.net;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.steward.testkit.process.ComponentLog;

/**
 * Runs a short administrative tool ({@code ip}, {@code nft}, a probe inside a namespace) to its end
 * and returns what it printed. These tools finish in milliseconds and start nothing that lives on,
 * so unlike the test kit's servers they need no parent-death signal.
 *
 * <p>Thread-safe.
 */
final class RootCommand {

    private static final long TIMEOUT_SECONDS = 30;

    /** How a tool ended: its exit code and its output (standard output and error together). */
    record Result(int exitCode, String output) {
        boolean succeeded() {
            return exitCode == 0;
        }
    }

    private RootCommand() {
    }

    /** Runs {@code command}, fails with its output when it exits non-zero. */
    static String checked(ComponentLog log, String... command) {
        return checkedWithInput(log, null, command);
    }

    /** Runs {@code command} with {@code input} on its standard input; fails when it exits non-zero. */
    static String checkedWithInput(ComponentLog log, String input, String... command) {
        Result result = run(log, input, List.of(command));
        if (!result.succeeded()) {
            throw new IllegalStateException(String.join(" ", command) + " failed with exit code "
                    + result.exitCode() + ": " + result.output().strip()
                    + (input == null ? "" : "\ninput was:\n" + input));
        }
        return result.output();
    }

    /** Runs {@code command}, whatever its exit code; logs it when {@code log} is not null. */
    static Result run(ComponentLog log, String input, List<String> command) {
        if (log != null) {
            log.note("$ " + String.join(" ", command));
        }
        try {
            Process process = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
            try (OutputStream stdin = process.getOutputStream()) {
                if (input != null) {
                    stdin.write(input.getBytes(StandardCharsets.UTF_8));
                }
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(command.get(0) + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command.get(0), e);
        }
    }
}
