package io.steward.testkit.citus;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.steward.testkit.postgres.PgBinaries;

/**
 * Makes {@code CREATE EXTENSION citus} and {@code shared_preload_libraries = 'citus'} work on this
 * machine: with real Citus when it is installed, else with the test kit's stand-in (a SQL-only
 * extension with Citus's node metadata, functions and locks, and an empty shared library). Tests
 * that need Citus call {@link #ensureInstalled()} and then run the same code either way.
 *
 * <p>The stand-in is installed into PostgreSQL's own directories (the extension directory and the
 * library directory, as a Citus package would), only where no real Citus is; it is recognised by
 * the marker in its control file and replaced when the test kit's copy changes.
 */
public final class CitusStandIn {

    /** What {@code citus} is on this machine. */
    public enum Flavor {
        /** The real extension, installed by a Citus package. */
        REAL_CITUS,
        /** The test kit's stand-in. */
        STAND_IN
    }

    static final String MARKER = "Steward test stand-in for Citus";
    private static final String RESOURCES = "/io/steward/testkit/citus/";
    private static final List<String> EXTENSION_FILES = List.of("citus.control", "citus--12.1-1.sql");

    private static Flavor installed;

    private CitusStandIn() {
    }

    /** Installs the stand-in unless real Citus is there; once per JVM. */
    public static synchronized Flavor ensureInstalled() {
        if (installed != null) {
            return installed;
        }
        try {
            Path control = extensionDirectory().resolve("citus.control");
            if (Files.exists(control) && !Files.readString(control).contains(MARKER)) {
                installed = Flavor.REAL_CITUS;
                return installed;
            }
            for (String file : EXTENSION_FILES) {
                copyIfChanged(RESOURCES + file, extensionDirectory().resolve(file));
            }
            buildModule(libraryDirectory().resolve("citus.so"));
            installed = Flavor.STAND_IN;
            return installed;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install the Citus stand-in: " + e.getMessage(), e);
        }
    }

    /** {@code pg_config --sharedir}/extension. */
    static Path extensionDirectory() {
        return Path.of(pgConfig("--sharedir")).resolve("extension");
    }

    /** {@code pg_config --pkglibdir}. */
    static Path libraryDirectory() {
        return Path.of(pgConfig("--pkglibdir"));
    }

    private static void copyIfChanged(String resource, Path target) throws IOException {
        byte[] wanted;
        try (InputStream in = CitusStandIn.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException(resource + " is missing from the test kit");
            }
            wanted = in.readAllBytes();
        }
        if (Files.exists(target) && java.util.Arrays.equals(Files.readAllBytes(target), wanted)) {
            return;
        }
        Path temporary = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
        Files.write(temporary, wanted);
        temporary.toFile().setReadable(true, false);
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Compiles the empty module with gcc for this PostgreSQL's major version, unless it is built already. */
    private static void buildModule(Path target) throws IOException {
        String source;
        try (InputStream in = CitusStandIn.class.getResourceAsStream(RESOURCES + "citus_standin_module.c")) {
            source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String major = pgConfig("--version").replaceAll("^PostgreSQL (\\d+).*$", "$1").strip();
        Path stamp = target.resolveSibling("citus.so.steward-stand-in");
        String wanted = major + "\n" + source;
        if (Files.exists(target) && Files.exists(stamp) && Files.readString(stamp).equals(wanted)) {
            return;
        }
        Path work = Files.createTempDirectory("citus-stand-in");
        Path c = work.resolve("citus_standin_module.c");
        Files.writeString(c, source);
        Path built = work.resolve("citus.so");
        run(List.of("gcc", "-shared", "-fPIC", "-O2", "-DPG_MAJOR=" + major, "-o", built.toString(), c.toString()));
        built.toFile().setReadable(true, false);
        Files.move(built, target, StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(stamp, wanted);
    }

    private static String pgConfig(String option) {
        return run(List.of(PgBinaries.path("pg_config"), option)).strip();
    }

    private static String run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(String.join(" ", command) + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
