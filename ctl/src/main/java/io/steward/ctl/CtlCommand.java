package io.steward.ctl;

import java.io.PrintWriter;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * What the subcommands share: the root (configuration, API, terminal), {@code --group}, and how a
 * command line names its scope. The first positional word is the scope, as patronictl's cluster
 * name; it may be left out when the configuration names a default scope, and then a first word
 * that is not a scope the decider knows is read as a member name.
 */
abstract class CtlCommand implements Callable<Integer> {

    /** The scope a command works on and the members it names. */
    record Target(String scope, List<String> members) {
    }

    @ParentCommand
    StewardCtl root;

    @Option(names = "--group", paramLabel = "N", description = "Citus group (0 is the coordinator)")
    Integer group;

    PrintWriter out() {
        return root.environment().out();
    }

    PrintWriter err() {
        return root.environment().err();
    }

    StewardApi api() {
        return root.api();
    }

    Prompter prompter() {
        return new Prompter(root.environment().in(), out());
    }

    ZonedDateTime now() {
        return ZonedDateTime.now(root.environment().clock());
    }

    /** {@code given}, else the configured scope; a usage error when there is neither. */
    String scope(String given) {
        if (given != null) {
            return given;
        }
        String configured = root.config().scope();
        if (configured == null) {
            throw CtlException.usage("No scope given: name one, or set 'scope:' in the configuration file");
        }
        return configured;
    }

    /** Splits {@code [SCOPE] [MEMBER...]}. */
    Target target(List<String> words) {
        if (words == null || words.isEmpty()) {
            return new Target(scope(null), List.of());
        }
        String configured = root.config().scope();
        String first = words.getFirst();
        if (configured == null || first.equals(configured) || api().scopes().contains(first)) {
            return new Target(first, List.copyOf(words.subList(1, words.size())));
        }
        return new Target(configured, List.copyOf(words));
    }

    /** Patroni's {@code timestamp()}: local time to the hundred-thousandth of a second. */
    String timestamp() {
        return now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSS"));
    }

    /** Prints the decider's refusal as {@code <Action> failed: <message>} and answers exit code 1. */
    int refused(String action, DeciderClient.Reply reply) {
        err().println(action + " failed: " + (reply.message().isEmpty() ? "HTTP " + reply.status() : reply.message()));
        err().flush();
        return CtlException.REFUSED;
    }

    /** Prints {@code Success: <message>}. */
    int succeeded(DeciderClient.Reply reply) {
        out().println("Success: " + reply.message());
        out().flush();
        return 0;
    }
}
