package io.steward.agent.postgres;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL's command-line programs (initdb, pg_basebackup, pg_rewind, pg_controldata, the
 * single-user postgres), run as the PostgreSQL OS user with their output in the agent's log.
 */
final class PgTools {

    private static final Logger LOG = LoggerFactory.getLogger(PgTools.class);

    private final Path binDir;
    private final OsUser user;
    private final Map<String, String> environment;

    PgTools(Path binDir, OsUser user, Map<String, String> environment) {
        this.binDir = binDir;
        this.user = user;
        this.environment = Map.copyOf(environment);
    }

    String binary(String program) {
        Path path = binDir.resolve(program);
        if (!Files.isExecutable(path)) {
            throw new PostgresException(program + " not found in " + binDir + " (postgresql.bin_dir)", false);
        }
        return path.toString();
    }

    /** The outcome of a program: its exit code and its output. */
    record Result(int exitCode, List<String> output) {
        boolean succeeded() {
            return exitCode == 0;
        }

        String tail() {
            return String.join("\n", output.subList(Math.max(0, output.size() - 20), output.size()));
        }
    }

    /** Runs {@code program args}; every output line goes to the log, and to {@code progress} if given. */
    Result run(String program, List<String> args, Path workingDirectory, Duration timeout, Consumer<String> progress) {
        return run(program, args, workingDirectory, timeout, progress, true);
    }

    /** Like {@link #run} with the output logged at debug level only (programs run on every heartbeat). */
    Result runQuietly(String program, List<String> args, Path workingDirectory, Duration timeout) {
        return run(program, args, workingDirectory, timeout, null, false);
    }

    private Result run(String program, List<String> args, Path workingDirectory, Duration timeout,
                       Consumer<String> progress, boolean loud) {
        List<String> command = new ArrayList<>(user.prefix());
        command.add(binary(program));
        command.addAll(args);
        if (loud) {
            LOG.info("running {}", redact(String.join(" ", command.subList(user.prefix().size(), command.size()))));
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .directory(workingDirectory.toFile());
        builder.environment().putAll(environment);
        builder.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        List<String> output = new ArrayList<>();
        try {
            Process process = builder.start();
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    output.add(line);
                    if (loud) {
                        LOG.info("{}: {}", program, line);
                    } else {
                        LOG.debug("{}: {}", program, line);
                    }
                    if (progress != null) {
                        progress.accept(line);
                    }
                }
            }
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new PostgresException(program + " did not finish within " + timeout.toSeconds() + " s", true);
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + program, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PostgresException("interrupted while running " + program, true);
        }
    }

    /** Runs and fails with the program's last lines when it does not exit 0. */
    Result runChecked(String program, List<String> args, Path workingDirectory, Duration timeout,
                      Consumer<String> progress) {
        Result result = run(program, args, workingDirectory, timeout, progress);
        if (!result.succeeded()) {
            throw new PostgresException(program + " failed (exit " + result.exitCode() + "): " + result.tail(), true);
        }
        return result;
    }

    /** pg_controldata's fields ("Database cluster state" → "shut down", ...); empty without data. */
    Map<String, String> controlData(Path dataDir) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (!Files.exists(dataDir.resolve("global/pg_control"))) {
            return fields;
        }
        Result result = runQuietly("pg_controldata", List.of("-D", dataDir.toString()), dataDir.getParent(),
                Duration.ofSeconds(30));
        for (String line : result.output()) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                fields.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
            }
        }
        return fields;
    }

    private static String redact(String command) {
        return command.replaceAll("password=\\S+", "password=***");
    }
}
