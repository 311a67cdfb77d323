package io.steward.bench.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What "the host dies" means on one machine: every process of the member killed at once. */
final class Hosts {

    private Hosts() {
    }

    /**
     * The postmaster of {@code dataDir} and all its children (backends, walsenders), collected
     * before any of them dies so that none is missed once they are orphaned.
     */
    static List<ProcessHandle> postgresProcesses(Path dataDir) {
        List<ProcessHandle> processes = new ArrayList<>();
        try {
            Path pidFile = dataDir.resolve("postmaster.pid");
            if (!Files.exists(pidFile)) {
                return processes;
            }
            long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).strip());
            ProcessHandle.of(pid).ifPresent(postmaster -> {
                processes.add(postmaster);
                postmaster.descendants().forEach(processes::add);
            });
        } catch (IOException | NumberFormatException e) {
            // no running instance
        }
        return processes;
    }

    static void killAll(List<ProcessHandle> processes) {
        processes.forEach(ProcessHandle::destroyForcibly);
    }
}
