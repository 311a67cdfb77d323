package io.steward.agent.postgres;

import io.steward.core.model.Lsn;

/** PostgreSQL's timeline history files: {@code <parent timeline> <switch point> <reason>} per line. */
final class TimelineHistory {

    private TimelineHistory() {
    }

    /**
     * Where the history left {@code timeline} for the next one, or null when the history does not
     * pass through {@code timeline}.
     */
    static Lsn switchPoint(String history, int timeline) {
        for (String line : history.split("\\R")) {
            String[] fields = line.strip().split("\\s+");
            if (fields.length >= 2 && !fields[0].startsWith("#") && fields[0].matches("\\d+")
                    && Integer.parseInt(fields[0]) == timeline) {
                return Lsn.parse(fields[1]);
            }
        }
        return null;
    }
}
