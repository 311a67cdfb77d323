package io.steward.testkit.net;

/** Which way a {@link Network#cut cut} drops packets between two hosts. */
public enum Direction {
    /** Nothing passes between the two hosts, either way. */
    BOTH,
    /** Packets from the first host to the second are dropped; the second still reaches the first. */
    ONE_WAY
}
