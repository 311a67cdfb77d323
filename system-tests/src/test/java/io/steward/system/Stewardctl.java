package io.steward.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.steward.testkit.decider.DeciderNode;

/** {@code stewardctl} run as a user runs it: its jar in a process of its own, against the deciders. */
final class Stewardctl {

    /** What a run printed and how it ended. */
    record Result(int exitCode, String out, String err) {
    }

    private static final Path JAR = Path.of("../ctl/target/stewardctl.jar").toAbsolutePath().normalize();

    private final List<DeciderNode> deciders;

    Stewardctl(List<DeciderNode> deciders) {
        this.deciders = List.copyOf(deciders);
    }

    /** Runs {@code stewardctl ARGS}, answering prompts with {@code input}. */
    Result answering(String input, String... args) {
        if (!Files.exists(JAR)) {
            throw new IllegalStateException(JAR + " is missing: build the ctl module first (mvn package)");
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString()));
        for (DeciderNode decider : deciders) {
            command.add("--decider");
            command.add(decider.url());
        }
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).start();
            process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().close();
            byte[] out = process.getInputStream().readAllBytes();
            byte[] err = process.getErrorStream().readAllBytes();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("stewardctl " + String.join(" ", args) + " did not finish");
            }
            Result result = new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8),
                    new String(err, StandardCharsets.UTF_8));
            System.out.println("$ stewardctl " + String.join(" ", args) + "\n" + result.out() + result.err());
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Result run(String... args) {
        return answering("", args);
    }
}
