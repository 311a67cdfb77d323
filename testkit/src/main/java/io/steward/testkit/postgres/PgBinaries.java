package io.steward.testkit.postgres;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the PostgreSQL 15 programs live: Debian's {@code /usr/lib/postgresql/15/bin} (not on the
 * PATH), or {@code -Dsteward.pg.bin=DIR}.
 */
public final class PgBinaries {

    private static final Path DIRECTORY =
            Path.of(System.getProperty("steward.pg.bin", "/usr/lib/postgresql/15/bin"));

    private PgBinaries() {
    }

    /** The absolute path of {@code program} ("initdb", "postgres", "pg_rewind", ...). */
    public static String path(String program) {
        Path binary = DIRECTORY.resolve(program);
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException(binary + " is missing: install Debian's postgresql-15 package "
                    + "(scripts/setup-machine.sh does) or point -Dsteward.pg.bin at PostgreSQL 15's bin directory");
        }
        return binary.toString();
    }
}
