package io.steward.ctl;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code stewardctl}: patronictl's commands, options and habits over the decision service's REST
 * API. This is the composition root: it reads the configuration once, builds the one HTTP client
 * the subcommands share, and turns {@link CtlException}s into messages and exit codes (0 done,
 * 1 refused, 2 usage, 3 no decider answered).
 */
@Command(name = "stewardctl", scope = ScopeType.INHERIT, mixinStandardHelpOptions = true,
        versionProvider = StewardCtl.Version.class, usageHelpAutoWidth = true,
        description = "Manage Steward clusters through the decision service (the patronictl of Steward).",
        subcommands = {ListCommand.class, TopologyCommand.class, SwitchoverCommand.class, FailoverCommand.class,
                RestartCommand.class, ReloadCommand.class, ReinitCommand.class, PauseCommand.class,
                ResumeCommand.class, ShowConfigCommand.class, EditConfigCommand.class, HistoryCommand.class,
                RemoveCommand.class, FlushCommand.class, VersionCommand.class, DeciderCommand.class})
public final class StewardCtl implements Callable<Integer> {

    @Option(names = {"-c", "--config-file"}, paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "Configuration file (default: $STEWARDCTL_CONFIG, else ~/.config/stewardctl/stewardctl.yaml)")
    private Path configFile;

    @Option(names = "--decider", paramLabel = "URL", scope = ScopeType.INHERIT,
            description = "Decision service URL; repeat to name several, tried in order (overrides $STEWARD_DECIDER "
                    + "and the file)")
    private List<String> deciderFlags;

    @Spec
    private CommandSpec spec;

    private final CtlEnvironment environment;
    private CtlConfig config;
    private DeciderClient client;
    private StewardApi api;

    StewardCtl(CtlEnvironment environment) {
        this.environment = environment;
    }

    public static void main(String[] args) {
        System.exit(execute(CtlEnvironment.system(), args));
    }

    /** Runs one command line; returns the exit code. */
    static int execute(CtlEnvironment environment, String... args) {
        StewardCtl root = new StewardCtl(environment);
        CommandLine commandLine = new CommandLine(root)
                .setOut(environment.out())
                .setErr(environment.err())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .registerConverter(Format.class, new Format.Converter())
                .setExecutionExceptionHandler((exception, failed, parseResult) -> {
                    if (exception instanceof CtlException ctl) {
                        failed.getErr().println(ctl.getMessage());
                        failed.getErr().flush();
                        return ctl.exitCode();
                    }
                    throw exception;
                });
        try {
            return commandLine.execute(args);
        } finally {
            root.close();
            environment.out().flush();
            environment.err().flush();
        }
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(environment.err());
        return CtlException.USAGE;
    }

    CtlEnvironment environment() {
        return environment;
    }

    CtlConfig config() {
        if (config == null) {
            config = CtlConfig.load(configFile, deciderFlags, environment);
        }
        return config;
    }

    StewardApi api() {
        if (api == null) {
            client = new DeciderClient(config().deciders(), config().timeout(), environment.actor());
            api = new StewardApi(client);
        }
        return api;
    }

    private void close() {
        if (client != null) {
            client.close();
        }
    }

    /** stewardctl's own version, from the build. */
    static String version() {
        try (InputStream in = StewardCtl.class.getResourceAsStream("/stewardctl.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"stewardctl version " + version()};
        }
    }
}
