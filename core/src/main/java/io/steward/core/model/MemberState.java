package io.steward.core.model;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Everything the log says about one member, as of the last record folded.
 *
 * @param name         the member's name, unique in its scope
 * @param info         what it said when it registered or last reported
 * @param observation  its last heartbeat
 * @param sequence     the last heartbeat sequence number of the current incarnation
 * @param registeredAt when it first registered
 * @param lastSeen     log time of the last record from its agent
 * @param stateSince   log time at which {@code observation.state()} last changed
 * @param failedReason non-null while the decider holds it failed (why)
 */
public record MemberState(String name, MemberInfo info, Observation observation, long sequence,
                          Instant registeredAt, Instant lastSeen, Instant stateSince, String failedReason) {

    public MemberState {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(info, "info");
        Objects.requireNonNull(observation, "observation");
        Objects.requireNonNull(registeredAt, "registeredAt");
        Objects.requireNonNull(lastSeen, "lastSeen");
        Objects.requireNonNull(stateSince, "stateSince");
    }

    /** A member that has just registered. */
    public static MemberState registered(String name, MemberInfo info, Long systemIdentifier, Instant at) {
        Observation first = systemIdentifier == null ? Observation.NONE
                : new Observation(Role.UNKNOWN, PgState.STOPPED, 0, null, null, null, null, null, null, false,
                java.util.Map.of(), java.util.List.of(), systemIdentifier, null, null, 0, null, null);
        return new MemberState(name, info, first, -1, at, at, at, null);
    }

    public Tags tags() {
        return info.tags();
    }

    public Endpoints endpoints() {
        return info.endpoints();
    }

    public boolean isFailed() {
        return failedReason != null;
    }

    /** How long the member has been silent at {@code now}. */
    public Duration silence(Instant now) {
        Duration silence = Duration.between(lastSeen, now);
        return silence.isNegative() ? Duration.ZERO : silence;
    }

    /** Heard from within {@code ttl} and not held failed. */
    public boolean isFresh(Instant now, Duration ttl) {
        return !isFailed() && silence(now).compareTo(ttl) <= 0;
    }

    public MemberState withInfo(MemberInfo newInfo) {
        return new MemberState(name, newInfo, observation, sequence, registeredAt, lastSeen, stateSince, failedReason);
    }

    public MemberState withObservation(Observation newObservation, long newSequence, Instant at) {
        Instant since = newObservation.state() == observation.state() ? stateSince : at;
        return new MemberState(name, info, newObservation, newSequence, registeredAt, at, since, null);
    }

    /** After a heartbeat: what it said about itself, and what it observed. */
    public MemberState observed(MemberInfo newInfo, Observation newObservation, long newSequence, Instant at) {
        Instant since = newObservation.state() == observation.state() ? stateSince : at;
        return new MemberState(name, newInfo, newObservation, newSequence, registeredAt, at, since, null);
    }

    public MemberState seenAt(Instant at) {
        return new MemberState(name, info, observation, sequence, registeredAt, at, stateSince, null);
    }

    public MemberState withFailed(String reason) {
        return new MemberState(name, info, observation, sequence, registeredAt, lastSeen, stateSince, reason);
    }
}
