package io.steward.bench.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.steward.testkit.Await;

/** Resident memory and CPU of processes, read from /proc while the group idles. */
final class Footprint {

    /** Per process, averaged over the processes measured. */
    record Usage(double residentMiB, double cpuPercent) {
    }

    private static final double CLOCK_TICKS_PER_SECOND = 100.0; // Linux's USER_HZ

    private Footprint() {
    }

    static Usage measure(List<Long> pids, Duration over) {
        long ticksBefore = pids.stream().mapToLong(Footprint::cpuTicks).sum();
        long started = System.nanoTime();
        double residentSum = 0;
        int samples = 0;
        while (System.nanoTime() - started < over.toNanos()) {
            residentSum += pids.stream().mapToLong(Footprint::residentKiB).sum() / 1024.0 / pids.size();
            samples++;
            Await.sleep(Duration.ofSeconds(1));
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long ticks = pids.stream().mapToLong(Footprint::cpuTicks).sum() - ticksBefore;
        return new Usage(residentSum / samples, 100.0 * ticks / CLOCK_TICKS_PER_SECOND / seconds / pids.size());
    }

    private static long residentKiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            // gone
        }
        return 0;
    }

    /** utime + stime of the process (threads included), in clock ticks. */
    private static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
