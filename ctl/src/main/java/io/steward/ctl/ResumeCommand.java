package io.steward.ctl;

import picocli.CommandLine.Command;

/** {@code resume [SCOPE] [--wait]}: leave maintenance mode. */
@Command(name = "resume", description = "Resume automatic failover (leave maintenance mode)")
final class ResumeCommand extends PauseCommand {

    @Override
    public Integer call() {
        return toggle(false);
    }
}
