package io.steward.decider.admission;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.common.header.Headers;

import io.steward.core.event.AgentEvent;
import io.steward.core.event.CitusEvent;
import io.steward.core.event.Event;
import io.steward.core.event.OperatorRequest;
import io.steward.core.model.GroupId;
import io.steward.events.Decoded;
import io.steward.events.codec.EventCodec;
import io.steward.events.kafka.FactSeal;

/**
 * Decides whether a record handed in on the facts topic enters the log (ADR 7): it must be a fact
 * (an agent's report, a forwarded operator request, a Citus report), keyed by the group it is
 * about, stated by a writer that may state it (an agent only about itself and for its own scope,
 * citus-sync only Citus reports of its scope), and, when the deciders hold a secret, sealed with
 * that writer's key. Anything else is refused with a reason; nothing here throws for any input.
 *
 * <p>Thread-safe.
 */
public final class FactAdmission {

    /** What becomes of one record. */
    public sealed interface Verdict {
    }

    /** Enters the log as it is. */
    public record Admitted(Event event, String writer) implements Verdict {
    }

    /** Goes to the dead-letter topic, with the reason. */
    public record Refused(String reason) implements Verdict {
    }

    private final byte[] secret;
    private final Map<String, byte[]> writerKeys = new ConcurrentHashMap<>();

    /** @param secret the deciders' secret; null admits unsealed facts (after the same other checks) */
    public FactAdmission(byte[] secret) {
        this.secret = secret == null ? null : secret.clone();
    }

    public boolean checksSeals() {
        return secret != null;
    }

    public Verdict admit(byte[] key, byte[] value, Headers headers) {
        if (value == null) {
            return new Refused("an empty record");
        }
        Event event;
        switch (EventCodec.decodeEvent(value)) {
            case Decoded.Ok<Event> ok -> event = ok.value();
            case Decoded.Failed<Event> failed -> {
                return new Refused("cannot be read: " + failed.reason());
            }
        }
        String writer = FactSeal.writerOf(headers);
        String expected = expectedWriter(event, writer);
        if (expected == null) {
            return new Refused("a " + event.getClass().getSimpleName() + " is no fact: only a decider writes it, "
                    + "to the log");
        }
        GroupId group = groupOf(event);
        String keyText = key == null ? null : new String(key, StandardCharsets.UTF_8);
        if (!group.key().equals(keyText)) {
            return new Refused("keyed " + keyText + " but about " + group.key() + ": it would land out of its "
                    + "group's order");
        }
        if (writer != null && !writer.equals(expected)) {
            return new Refused("stated by " + writer + ", which may not state it (only " + expected + " may)");
        }
        if (secret == null) {
            return new Admitted(event, writer);
        }
        if (writer == null || headers.lastHeader(FactSeal.SEAL) == null) {
            return new Refused("not sealed: facts need their writer's seal (the " + FactSeal.WRITER + " and "
                    + FactSeal.SEAL + " headers)");
        }
        byte[] writerKey = writerKeys.computeIfAbsent(writer, name -> FactSeal.writerKey(secret, name));
        if (!FactSeal.verify(headers, writerKey, key, value)) {
            return new Refused("the seal does not verify for " + writer + ": not written with its key");
        }
        return new Admitted(event, writer);
    }

    /**
     * Who may state {@code event}: the member it is about, any member of the scope for a request
     * (the one whose REST API received it; {@code claimed} when it is of that scope), citus-sync of
     * the scope for a Citus report; null for anything that is no fact.
     */
    private static String expectedWriter(Event event, String claimed) {
        return switch (event) {
            case AgentEvent fact -> FactSeal.member(fact.group().scope(), fact.member());
            case OperatorRequest request -> claimed != null && claimed.startsWith(FactSeal.member(request.group().scope(), ""))
                    ? claimed : FactSeal.member(request.group().scope(), "*");
            case CitusEvent citus -> claimed != null && claimed.startsWith(FactSeal.citusSync(citus.group().scope(), ""))
                    ? claimed : FactSeal.citusSync(citus.group().scope(), "*");
            default -> null;
        };
    }

    private static GroupId groupOf(Event event) {
        return switch (event) {
            case AgentEvent fact -> fact.group();
            case OperatorRequest request -> request.group();
            case CitusEvent citus -> citus.group();
            default -> throw new IllegalArgumentException("no fact: " + event);
        };
    }
}
