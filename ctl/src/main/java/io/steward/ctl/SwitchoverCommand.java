package io.steward.ctl;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code switchover [SCOPE] --leader --candidate --scheduled --force}. */
@Command(name = "switchover", description = "Switch the leader over to a replica, now or at a scheduled time")
final class SwitchoverCommand extends LeaderChangeCommand {

    @Option(names = "--scheduled", paramLabel = "TIME",
            description = "When: ISO 8601 (local time unless an offset is given) or 'now'")
    String scheduled;

    @Override
    public Integer call() {
        return change("switchover", scheduled);
    }
}
