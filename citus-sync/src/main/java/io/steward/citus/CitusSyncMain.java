package io.steward.citus;

import java.nio.file.Path;

import io.steward.citus.config.CitusSyncConfig;
import io.steward.citus.config.CitusSyncConfigReader;
import io.steward.citus.sync.CitusSync;

/** {@code java -jar steward-citus-sync.jar citus-sync.yml}: runs until SIGTERM. */
public final class CitusSyncMain {

    private CitusSyncMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 1) {
            System.err.println("usage: steward-citus-sync <citus-sync.yml>");
            System.exit(2);
        }
        CitusSyncConfig config;
        try {
            config = CitusSyncConfigReader.read(Path.of(args[0]));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        CitusSync sync = new CitusSync(config);
        Thread loop = new Thread(sync, "citus-sync");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sync.close();
            try {
                loop.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "citus-sync-shutdown"));
        loop.start();
        loop.join();
    }
}
