package io.steward.core.request;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.steward.core.event.OperatorRequest;
import io.steward.core.event.OperatorRequest.RequestHeader;
import io.steward.core.event.OperatorRequest.RoleFilter;

/**
 * Turns the JSON bodies of Patroni's mutating endpoints (already parsed into maps) into operator
 * requests, with Patroni's status codes and messages for what cannot be accepted. The agents'
 * Patroni-compatible API and the decision service's API share these rules, so a body is judged the
 * same wherever it is sent.
 *
 * <p>Only the shape of a request is judged here; whether it can be carried out (is the candidate
 * healthy? is the cluster paused?) is the decider's answer.
 */
public final class RequestBodies {

    /** A body that cannot be accepted: Patroni's status (400 or 422) and message. */
    public static final class Invalid extends RuntimeException {
        private final int status;

        public Invalid(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /** The most digits a part of {@code postgres_version} may have (a major version has two today). */
    public static final int MAX_VERSION_PART_DIGITS = 6;
    /** The longest timeout a request may ask for: a day. */
    public static final int MAX_TIMEOUT_SECONDS = 86_400;
    /** How far ahead an action may be scheduled. */
    public static final java.time.Duration MAX_SCHEDULE_AHEAD = java.time.Duration.ofDays(3650);
    /** The longest member name accepted (Patroni's names are host names: 253 characters at most). */
    public static final int MAX_NAME_LENGTH = 253;
    /** The most members one request may name. */
    public static final int MAX_NAMES = 1_000;

    private RequestBodies() {
    }

    /** {@code POST /switchover}: {@code leader} (required), {@code candidate}, {@code scheduled_at}. */
    public static OperatorRequest.SwitchoverRequested switchover(Map<String, Object> body, RequestHeader header,
                                                                 Instant now, Set<String> extraFields) {
        known(body, union(Set.of("leader", "candidate", "scheduled_at", "member"), extraFields), "Unknown field: ");
        String leader = text(body.get("leader"));
        if (leader == null) {
            throw new Invalid(400, "Switchover could be performed only from a specific leader");
        }
        return new OperatorRequest.SwitchoverRequested(header, leader, candidate(body),
                schedule(body.get("scheduled_at"), "switchover", now));
    }

    /**
     * {@code POST /failover}: {@code candidate} (required); with {@code leader} it is a switchover,
     * as in Patroni.
     */
    public static OperatorRequest failover(Map<String, Object> body, RequestHeader header, Set<String> extraFields) {
        known(body, union(Set.of("leader", "candidate", "scheduled_at", "member"), extraFields), "Unknown field: ");
        String candidate = candidate(body);
        if (candidate == null) {
            throw new Invalid(400, "Failover could be performed only to a specific candidate");
        }
        if (body.get("scheduled_at") != null) {
            throw new Invalid(400, "Failover can't be scheduled");
        }
        String leader = text(body.get("leader"));
        return leader != null ? new OperatorRequest.SwitchoverRequested(header, leader, candidate, null)
                : new OperatorRequest.FailoverRequested(header, candidate);
    }

    /**
     * {@code POST /restart}: {@code schedule}, {@code role}, {@code postgres_version}, {@code timeout},
     * {@code restart_pending}; {@code members} names the members where the endpoint is not a member's own.
     */
    public static OperatorRequest.RestartRequested restart(Map<String, Object> body, RequestHeader header,
                                                           List<String> members, Instant now, Set<String> extraFields) {
        known(body, union(Set.of("schedule", "role", "postgres_version", "timeout", "restart_pending"), extraFields),
                "Unknown filter for the scheduled restart: ");
        RoleFilter role = role(body.get("role"));
        Integer timeout = body.containsKey("timeout") ? positiveSeconds(body.get("timeout")) : null;
        Instant at = schedule(body.get("schedule"), "restart", now);
        String version = body.get("postgres_version") == null ? null : String.valueOf(body.get("postgres_version"));
        if (version != null && !version.matches("\\d{1," + MAX_VERSION_PART_DIGITS + "}(\\.\\d{1,"
                + MAX_VERSION_PART_DIGITS + "}){0,2}")) {
            throw new Invalid(400, "postgres_version must look like 15 or 15.4, got '" + version + "'");
        }
        return new OperatorRequest.RestartRequested(header, members, role, Boolean.TRUE.equals(body.get("restart_pending")),
                at, version, timeout);
    }

    /** {@code POST /reload}: {@code role} filter; {@code members} as for restart. */
    public static OperatorRequest.ReloadRequested reload(Map<String, Object> body, RequestHeader header,
                                                         List<String> members, Set<String> extraFields) {
        known(body, union(Set.of("role"), extraFields), "Unknown option for reload: ");
        return new OperatorRequest.ReloadRequested(header, members, role(body.get("role")));
    }

    /** {@code POST /reinitialize}: {@code force}, {@code from_leader}, for {@code member}. */
    public static OperatorRequest.ReinitializeRequested reinitialize(Map<String, Object> body, RequestHeader header,
                                                                     String member, Set<String> extraFields) {
        known(body, union(Set.of("force", "from_leader"), extraFields), "Unknown option for reinitialize: ");
        if (member == null || member.isBlank()) {
            throw new Invalid(400, "reinitialize needs a member");
        }
        return new OperatorRequest.ReinitializeRequested(header, memberName(member, "member"),
                Boolean.TRUE.equals(body.get("force")),
                Boolean.TRUE.equals(body.get("from_leader")));
    }

    /** The names in {@code value}: a list of strings, one string, or a comma-separated string. */
    public static List<String> names(Object value, String field) {
        if (value == null) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        if (value instanceof List<?> list) {
            for (Object item : list) {
                if (!(item instanceof String name) || name.isBlank()) {
                    throw new Invalid(400, field + " must be a list of member names, got " + abbreviated(value));
                }
                names.add(memberName(name, field));
            }
        } else if (value instanceof String text) {
            for (String name : text.split(",")) {
                if (!name.isBlank()) {
                    names.add(memberName(name, field));
                }
            }
        } else {
            throw new Invalid(400, field + " must be a list of member names, got " + abbreviated(value));
        }
        if (names.size() > MAX_NAMES) {
            throw new Invalid(400, field + " names " + names.size() + " members; at most " + MAX_NAMES);
        }
        return names;
    }

    /**
     * A member name as a request may carry it: stripped, at most {@value #MAX_NAME_LENGTH}
     * characters, no control characters.
     */
    public static String memberName(String name, String field) {
        String stripped = name.strip();
        if (stripped.length() > MAX_NAME_LENGTH) {
            throw new Invalid(400, field + ": a member name has at most " + MAX_NAME_LENGTH + " characters, got "
                    + stripped.length());
        }
        if (stripped.chars().anyMatch(Character::isISOControl)) {
            throw new Invalid(400, field + ": a member name cannot contain control characters");
        }
        return stripped;
    }

    /** Refuses fields the endpoint does not know, naming the first one. */
    public static void known(Map<String, Object> body, Set<String> fields, String message) {
        for (String key : body.keySet()) {
            if (!fields.contains(key)) {
                throw new Invalid(400, message + abbreviated(key));
            }
        }
    }

    /** An absent value, "now" or "" means now (null); otherwise a time with a zone, in the future. */
    public static Instant schedule(Object value, String what, Instant now) {
        if (value == null) {
            return null;
        }
        String text = String.valueOf(value).strip();
        if (text.equalsIgnoreCase("now") || text.isEmpty()) {
            return null;
        }
        Instant at;
        try {
            at = OffsetDateTime.parse(text.replace(' ', 'T')).toInstant();
        } catch (DateTimeParseException e) {
            if (text.matches("\\d{4}-\\d{2}-\\d{2}[ T]\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?")) {
                throw new Invalid(400, "Timezone information is mandatory for the scheduled " + what);
            }
            throw new Invalid(422, "Unable to parse scheduled timestamp. It should be in an unambiguous format, e.g. "
                    + "ISO 8601");
        }
        if (at.isBefore(now)) {
            throw new Invalid(422, "Cannot schedule " + what + " in the past");
        }
        if (at.isAfter(now.plus(MAX_SCHEDULE_AHEAD))) {
            throw new Invalid(422, "Cannot schedule " + what + " more than " + MAX_SCHEDULE_AHEAD.toDays()
                    + " days ahead");
        }
        return at;
    }

    private static RoleFilter role(Object value) {
        return switch (String.valueOf(value == null ? "any" : value).toLowerCase(Locale.ROOT)) {
            case "primary", "master" -> RoleFilter.PRIMARY;
            case "replica" -> RoleFilter.REPLICA;
            case "any" -> RoleFilter.ANY;
            default -> throw new Invalid(400, "PostgreSQL role should be either primary, standby_leader, or replica");
        };
    }

    private static Integer positiveSeconds(Object value) {
        try {
            double seconds = Double.parseDouble(String.valueOf(value));
            if (!(seconds > 0 && seconds <= MAX_TIMEOUT_SECONDS)) { // NaN fails too
                throw new NumberFormatException();
            }
            return (int) Math.ceil(seconds);
        } catch (NumberFormatException e) {
            throw new Invalid(400, "Timeout should be a positive number of seconds, at most " + MAX_TIMEOUT_SECONDS);
        }
    }

    private static String candidate(Map<String, Object> body) {
        return text(body.containsKey("candidate") ? body.get("candidate") : body.get("member"));
    }

    /** A member name, or null when absent or blank; anything but a name is refused. */
    private static String text(Object value) {
        if (value == null || String.valueOf(value).isBlank()) {
            return null;
        }
        if (!(value instanceof String || value instanceof Number)) {
            throw new Invalid(400, "expected a member name, got " + abbreviated(value));
        }
        return memberName(String.valueOf(value), "member");
    }

    /** A value for a message: at most 100 characters of it. */
    private static String abbreviated(Object value) {
        String text = String.valueOf(value);
        return text.length() <= 100 ? text : text.substring(0, 100) + "…";
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        if (b.isEmpty()) {
            return a;
        }
        Set<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return all;
    }
}
