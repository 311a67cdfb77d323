package io.steward.ctl;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * patronictl's {@code parse_scheduled}: "now" (or nothing) means now; a time without an offset is
 * read in the local zone; the decider gets ISO 8601 with the offset.
 */
final class Schedules {

    private Schedules() {
    }

    /** The time {@code text} names, as ISO 8601 with an offset; null for now. */
    static String parse(String text, ZoneId zone) {
        if (text == null || text.isBlank() || text.strip().equalsIgnoreCase("now")) {
            return null;
        }
        String iso = text.strip().replace(' ', 'T');
        try {
            return OffsetDateTime.parse(iso).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        } catch (DateTimeParseException notOffset) {
            try {
                return LocalDateTime.parse(iso).atZone(zone).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            } catch (DateTimeParseException e) {
                throw CtlException.refused("Unable to parse scheduled timestamp (" + text + "). It should be in an "
                        + "unambiguous format (e.g. ISO 8601)");
            }
        }
    }

    /** The example in the "When should ... take place" prompt: an hour from now, to the minute. */
    static String nextHour(ZonedDateTime now) {
        return now.plusHours(1).format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm"));
    }
}
