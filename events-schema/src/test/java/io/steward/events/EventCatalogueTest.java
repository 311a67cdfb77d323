package io.steward.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/**
 * docs/events.md is rendered from the schemas, so the catalogue cannot drift from the contract.
 * Run the module's tests with {@code -DextraArgLine=-Dsteward.updateDocs=true} to rewrite it after changing a schema.
 */
class EventCatalogueTest {

    private static final Path CATALOGUE = Path.of("..", "docs", "events.md");

    /** Sections of the log topic: title, who writes, who reads, records. */
    private static final Map<String, String[]> LOG_SECTIONS = new LinkedHashMap<>();

    static {
        LOG_SECTIONS.put("Facts reported by agents", new String[] {"the member's node agent",
                "decision service (leader and standbys), audit UI, citus-sync",
                "MemberRegistered MemberObserved MemberStateChanged ClusterInitialized CommandOutcome"});
        LOG_SECTIONS.put("Operator requests", new String[] {
                "the decision service's REST API (stewardctl), or a node agent's Patroni-compatible endpoints forwarding a request",
                "decision service, audit UI",
                "SwitchoverRequested FailoverRequested RestartRequested ReloadRequested ReinitializeRequested "
                        + "PauseRequested ResumeRequested ConfigurationPatchRequested RemoveClusterRequested "
                        + "CancelScheduledRequested"});
        LOG_SECTIONS.put("Records of the decider", new String[] {"the leading decision service only (epoch-stamped)",
                "decision service standbys, citus-sync, audit UI, alerting",
                "DeciderElected DeciderActive Tick LeaderLeaseChanged BootstrapDecided MemberDeclaredFailed FailoverDecided "
                        + "FailoverCompleted FailoverBlocked SwitchoverStarted SwitchoverCompleted SwitchoverAborted "
                        + "SynchronousStandbysChanged ConfigurationChanged MaintenanceModeChanged ScheduledActionSet "
                        + "ScheduledActionCancelled CommandIssued CommandExpired RequestAnswered ClusterRemoved GroupStuck GroupUnstuck "
                        + "CitusPauseRequested"});
        LOG_SECTIONS.put("Facts reported by citus-sync", new String[] {
                "citus-sync: topology reports under the coordinator group, a group's pause under that worker group",
                "audit UI, alerting; the decider waits for CitusGroupPaused (the fold passes over the others)",
                "CitusTopologyApplied CitusTopologyFailed CitusGroupPaused"});
    }

    @Test
    void theCatalogueMatchesTheSchemas() throws IOException {
        String rendered = render();
        if (Boolean.getBoolean("steward.updateDocs")) {
            Files.writeString(CATALOGUE, rendered, StandardCharsets.UTF_8);
        }
        assertThat(Files.readString(CATALOGUE, StandardCharsets.UTF_8))
                .as("docs/events.md is stale: run the events-schema tests with -DextraArgLine=-Dsteward.updateDocs=true")
                .isEqualTo(rendered);
    }

    @Test
    void everyRecordOfTheLogIsInOneSection() {
        List<String> listed = LOG_SECTIONS.values().stream().flatMap(s -> List.of(s[2].split(" ")).stream()).toList();
        assertThat(listed).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(Schemas.get().topic("log").keySet());
    }

    static String render() {
        Schemas schemas = Schemas.get();
        StringBuilder out = new StringBuilder();
        out.append("""
                # Event catalogue

                Every record that crosses a process boundary, as the Avro schemas define it. This page is
                rendered from the schemas in `events-schema/src/main/resources/io/steward/events/schemas`
                (a test fails when they disagree).

                ## Encoding and evolution

                - Each record type has its own schema and is written with Avro **single-object encoding**:
                  the bytes `C3 01`, the writer schema's 8-byte CRC-64-AVRO fingerprint, then the binary body.
                  No schema registry service is needed: every process carries the schemas and their history.
                - A reader resolves the writer's schema (found by fingerprint among current and released
                  versions) to the current one, so records written by older processes decode with defaults.
                - Every schema is checked against all its released versions (`schema-history/`) with full
                  transitive compatibility; a changed schema is released as a new version.
                - A record that cannot be decoded is never fatal: consumers get a typed failure with the raw
                  bytes and send it to the dead-letter topic with the reason.
                - LSNs are 64-bit numbers (PostgreSQL prints them as `X/Y`); times are epoch milliseconds;
                  dynamic configuration travels as JSON text in Patroni's format.

                ## Topics

                | topic | key | written by | read by |
                |---|---|---|---|
                | `steward.log` | `scope/group`; `~decider` for `DeciderElected` and `Tick`, written to every partition | agents, the decision service, operators through the REST API | decision service, citus-sync, audit UI, alerting |
                | `steward.commands` | `scope/group` | the leading decision service | node agents (each keeps its own member's commands) |
                | `steward.snapshots` | `log-<partition>` (compacted) | the leading decision service | decision service on takeover, audit UI |
                | `steward.deadletter` | the original key | any consumer | operators, audit UI |

                The log topic uses `message.timestamp.type=LogAppendTime`: the broker's timestamp is the
                only clock decisions use. Decider records carry the decider's epoch; the fold ignores any
                whose epoch is lower than the highest `DeciderElected` of its partition.

                ## Records of `steward.log`
                """);
        LOG_SECTIONS.forEach((title, section) -> {
            out.append("\n### ").append(title).append("\n\nWritten by ").append(section[0]).append(". Read by ")
                    .append(section[1]).append(".\n");
            for (String name : section[2].split(" ")) {
                record(out, schemas.schema(name));
            }
        });
        out.append("\n## Records of `steward.commands`\n\nWritten by the leading decision service, stamped with its "
                + "epoch and a unique, deterministic id. Read by the node agent of the member in the header, which "
                + "refuses stale epochs, executes each id at most once and answers with a `CommandOutcome`.\n");
        schemas.topic("commands").values().forEach(schema -> record(out, schema));
        out.append("\n## Shared types\n");
        schemas.topic("common").values().forEach(schema -> {
            if (schema.getType() == Schema.Type.ENUM) {
                out.append("\n#### ").append(schema.getName()).append(" (enum)\n\n").append(schema.getDoc())
                        .append("\n\nSymbols: ").append(String.join(", ", schema.getEnumSymbols().stream()
                                .map(s -> "`" + s + "`").toList())).append(". Unknown symbols read as `")
                        .append(schema.getEnumDefault()).append("`.\n");
            } else {
                record(out, schema);
            }
        });
        return out.toString();
    }

    private static void record(StringBuilder out, Schema schema) {
        out.append("\n#### ").append(schema.getName()).append("\n\n").append(schema.getDoc()).append("\n\n")
                .append("| field | type | meaning |\n|---|---|---|\n");
        for (Schema.Field field : schema.getFields()) {
            out.append("| `").append(field.name()).append("` | ").append(type(field.schema())).append(" | ")
                    .append(field.doc().replace("|", "\\|")).append(" |\n");
        }
    }

    private static String type(Schema schema) {
        return switch (schema.getType()) {
            case UNION -> schema.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).findFirst()
                    .map(EventCatalogueTest::type).orElse("null") + ", optional";
            case ARRAY -> "array of " + type(schema.getElementType());
            case MAP -> "map of " + type(schema.getValueType());
            case RECORD, ENUM -> schema.getName();
            case LONG -> schema.getLogicalType() != null ? "timestamp (ms)" : "long";
            default -> schema.getType().getName();
        };
    }
}
