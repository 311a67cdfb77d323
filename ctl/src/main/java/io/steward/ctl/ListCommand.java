package io.steward.ctl;

import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.List;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code list [SCOPE...]}: patronictl's member table, once or every few seconds. */
@Command(name = "list", description = "List the members of a scope (every scope the decider knows when none is named "
        + "or configured)")
class ListCommand extends CtlCommand {

    private static final String CLEAR_SCREEN = "\033[H\033[2J";

    @Parameters(paramLabel = "SCOPE", arity = "0..*", description = "Scopes to list (default: the configured scope)")
    List<String> scopes;

    @Mixin
    SharedOptions.FormatOption formatOption;

    @Option(names = {"-e", "--extended"}, description = "Show the Pending restart and Tags columns even when empty")
    boolean extended;

    @Option(names = {"-t", "--timestamp"}, description = "Print a timestamp before each table")
    boolean timestamp;

    @Option(names = "-W", description = "Refresh every 2 seconds")
    boolean watchEvery2s;

    @Option(names = {"-w", "--watch"}, paramLabel = "SECONDS", description = "Refresh every SECONDS seconds")
    Double watch;

    @Override
    public Integer call() {
        return show(false);
    }

    int show(boolean topology) {
        List<String> names = scopes != null && !scopes.isEmpty() ? scopes
                : root.config().scope() != null ? List.of(root.config().scope()) : api().scopes();
        Duration interval = watch != null ? Duration.ofMillis((long) (watch * 1000))
                : watchEvery2s ? Duration.ofSeconds(2) : null;
        while (true) {
            if (interval != null) {
                out().print(CLEAR_SCREEN);
            }
            if (timestamp) {
                out().println(now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")));
            }
            for (String scope : names) {
                MemberTable.print(out(), api().cluster(scope), group, formatOption.format, topology, extended);
            }
            out().flush();
            if (interval == null) {
                return 0;
            }
            if (!root.environment().sleeper().sleep(interval)) {
                return 0;
            }
        }
    }
}
