package io.steward.ctl;

import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The arguments several commands share, as patronictl's {@code arg_cluster_name} and {@code option_*}. */
final class SharedOptions {

    private SharedOptions() {
    }

    /** {@code [SCOPE]}: patronictl's optional cluster name. */
    static final class ScopeArgument {
        @Parameters(paramLabel = "SCOPE", arity = "0..1", description = "The scope (default: the configured scope)")
        String name;
    }

    /** {@code -f/--format pretty|tsv|json|yaml}. */
    static final class FormatOption {
        @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "pretty",
                description = "Output format: pretty, tsv, json, yaml (default: ${DEFAULT-VALUE})")
        Format format;
    }

    /** {@code --force}. */
    static final class ForceOption {
        @Option(names = "--force", description = "Do not ask for confirmation at any point")
        boolean force;
    }
}
