package io.steward.ctl;

import picocli.CommandLine.Command;

/**
 * {@code failover [SCOPE] --candidate --force}: promote a named replica, with or without a healthy
 * leader. With {@code --leader} it is a switchover, as in patronictl.
 */
@Command(name = "failover", description = "Fail over to a named replica (a switchover when --leader is given)")
final class FailoverCommand extends LeaderChangeCommand {

    @Override
    public Integer call() {
        return change(leader != null ? "switchover" : "failover", leader != null ? "now" : null);
    }
}
