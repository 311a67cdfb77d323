package io.steward.decider.admission;

import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import io.steward.decider.config.DeciderConfiguration;
import io.steward.events.kafka.FactSeal;

/**
 * {@code steward-decider writer-key decider.yml member <scope> <name>} (or {@code citus-sync <scope>
 * <name>}): prints the key a writer seals its facts with, derived from the deciders' secret, for
 * that writer's configuration ({@code kafka.writer_key_file}).
 */
public final class WriterKeyCommand extends ConfiguredCommand<DeciderConfiguration> {

    public WriterKeyCommand() {
        super("writer-key", "Prints the key an agent (member) or citus-sync seals its facts with");
    }

    @Override
    public void configure(Subparser subparser) {
        super.configure(subparser);
        subparser.addArgument("kind").choices("member", "citus-sync").help("the writer: an agent or citus-sync");
        subparser.addArgument("scope").help("its scope");
        subparser.addArgument("name").help("its name (the member's name, or citus-sync's)");
    }

    @Override
    protected void run(Bootstrap<DeciderConfiguration> bootstrap, Namespace namespace, DeciderConfiguration config) {
        byte[] secret = WriterSecret.read(config.admission().secretFile());
        if (secret == null) {
            throw new IllegalStateException("admission.secret_file is not set in the configuration: without the "
                    + "deciders' secret there are no writer keys");
        }
        String scope = namespace.getString("scope");
        String name = namespace.getString("name");
        String writer = namespace.getString("kind").equals("member") ? FactSeal.member(scope, name)
                : FactSeal.citusSync(scope, name);
        System.out.println(FactSeal.encode(FactSeal.writerKey(secret, writer)));
    }
}
