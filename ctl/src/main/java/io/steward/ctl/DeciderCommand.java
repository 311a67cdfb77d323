package io.steward.ctl;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code decider [--all]} (Steward's addition): which decision service instance answers, whether
 * it leads and with which epoch, whether it has caught up with the log; with {@code --all}, every
 * configured instance.
 */
@Command(name = "decider", description = "Show the decider instance that answers (every configured one with --all)")
final class DeciderCommand extends CtlCommand {

    private static final List<String> COLUMNS = List.of("Decider", "Instance", "Leader", "Epoch", "Caught up", "Groups");

    @Option(names = "--all", description = "Ask every configured decider, not only the first that answers")
    boolean all;

    @Mixin
    SharedOptions.FormatOption formatOption;

    @Override
    public Integer call() {
        List<List<Object>> rows = new ArrayList<>();
        if (!all) {
            DeciderClient.Reply reply = api().client().get("/v1/decider");
            rows.add(row(reply.from(), reply));
        } else {
            DeciderClient client = api().client();
            for (URI decider : client.deciders()) {
                try {
                    rows.add(row(decider, client.sendTo(decider, "GET", "/v1/decider", null, Map.of())));
                } catch (IOException e) {
                    rows.add(List.of(decider.toString(), "no answer: " + DeciderClient.reason(e)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return CtlException.REFUSED;
                }
            }
        }
        Format format = formatOption.format;
        format.print(out(), COLUMNS, rows, Set.of("Epoch", "Groups"), null, format != Format.PRETTY);
        return 0;
    }

    private static List<Object> row(URI decider, DeciderClient.Reply reply) {
        if (!reply.isSuccess()) {
            return List.of(decider.toString(), "HTTP " + reply.status() + ": " + reply.message());
        }
        JsonNode status;
        try {
            status = Json.JSON.readTree(reply.body());
        } catch (IOException e) {
            return List.of(decider.toString(), "unexpected answer: " + e.getMessage());
        }
        return List.of(decider.toString(), status.path("instance").asText(""), yesNo(status.path("leader")),
                status.path("epoch").asLong(), yesNo(status.path("caught_up")), status.path("groups").asInt());
    }

    private static String yesNo(JsonNode flag) {
        return flag.asBoolean(false) ? "yes" : "no";
    }
}
