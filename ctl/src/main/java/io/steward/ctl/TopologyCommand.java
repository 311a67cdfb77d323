package io.steward.ctl;

import picocli.CommandLine.Command;

/** {@code topology [SCOPE...]}: the member table with each replica indented under its upstream. */
@Command(name = "topology", description = "Show the members as a tree: each replica under the member it replicates from")
final class TopologyCommand extends ListCommand {

    @Override
    public Integer call() {
        return show(true);
    }
}
