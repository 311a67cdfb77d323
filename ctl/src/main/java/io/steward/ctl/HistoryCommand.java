package io.steward.ctl;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code history [SCOPE]}: patronictl's TL, LSN, Reason, Timestamp, New Leader, plus who was
 * demoted and who asked. LSNs print as PostgreSQL prints them.
 */
@Command(name = "history", description = "Show the history of failovers and switchovers (group 0 unless --group)")
final class HistoryCommand extends CtlCommand {

    private static final List<String> COLUMNS = List.of("TL", "LSN", "Reason", "Timestamp", "New Leader", "Old Leader",
            "Actor");

    @Mixin
    SharedOptions.ScopeArgument scopeArgument;

    @Mixin
    SharedOptions.FormatOption formatOption;

    @Override
    public Integer call() {
        List<List<Object>> rows = new ArrayList<>();
        for (JsonNode entry : api().history(scope(scopeArgument.name), group)) {
            List<Object> row = new ArrayList<>();
            for (int i = 0; i < COLUMNS.size(); i++) {
                JsonNode cell = entry.get(i);
                row.add(cell == null || cell.isNull() ? "" : i == 1 && cell.canConvertToLong() ? lsn(cell.asLong())
                        : cell.isNumber() ? cell.numberValue() : cell.asText());
            }
            rows.add(row);
        }
        formatOption.format.print(out(), COLUMNS, rows, Set.of("TL", "LSN"), null, false);
        return 0;
    }

    /** A WAL position as PostgreSQL prints it: {@code 0/3000060}. */
    static String lsn(long value) {
        return Long.toHexString(value >>> 32).toUpperCase() + "/" + Long.toHexString(value & 0xFFFFFFFFL).toUpperCase();
    }
}
