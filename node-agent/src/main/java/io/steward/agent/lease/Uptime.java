package io.steward.agent.lease;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The clock the fencing watchdog reads: /proc/uptime, in hundredths of a second. */
final class Uptime {

    private static final Path PROC_UPTIME = Path.of("/proc/uptime");

    private Uptime() {
    }

    static long hundredths() {
        try {
            String first = Files.readString(PROC_UPTIME, StandardCharsets.US_ASCII).split(" ")[0];
            return Long.parseLong(first.replace(".", ""));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read /proc/uptime, which the fencing watchdog needs", e);
        }
    }
}
