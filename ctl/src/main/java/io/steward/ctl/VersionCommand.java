package io.steward.ctl;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;

/** {@code version}: stewardctl's version, and the answering decider's. */
@Command(name = "version", description = "Show the version of stewardctl and of the decider that answers")
final class VersionCommand extends CtlCommand {

    @Override
    public Integer call() {
        out().println("stewardctl version " + StewardCtl.version());
        out().flush();
        JsonNode decider = api().decider();
        String instance = decider.path("instance").asText("?");
        out().println("decider " + instance + ": " + (decider.hasNonNull("version")
                ? "Steward " + decider.get("version").asText() : "version not reported by the decider"));
        return 0;
    }
}
