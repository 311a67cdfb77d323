package io.steward.ctl;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code show-config [SCOPE]}: the dynamic configuration, as YAML (or JSON). */
@Command(name = "show-config", description = "Show the dynamic configuration of a scope (group 0 unless --group)")
final class ShowConfigCommand extends CtlCommand {

    @Mixin
    SharedOptions.ScopeArgument scopeArgument;

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "yaml",
            description = "yaml or json (default: ${DEFAULT-VALUE})")
    Format format;

    @Override
    public Integer call() {
        if (format != Format.YAML && format != Format.JSON) {
            throw CtlException.usage("show-config prints yaml or json, not " + format.name().toLowerCase());
        }
        StewardApi.VersionedConfig config = api().config(scope(scopeArgument.name), group);
        out().print(format == Format.YAML ? Json.yaml(config.config()) : Json.indented(config.config()) + "\n");
        return 0;
    }
}
