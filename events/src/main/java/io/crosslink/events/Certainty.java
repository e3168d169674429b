package io.crosslink.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How sure a reported leftover is. {@code confirmed} only after a read of the real state showed the thing exists;
 * {@code possible} when no read could tell (the read failed too), so it may or may not be there.
 */
public enum Certainty {
    @JsonProperty("confirmed")
    CONFIRMED,
    @JsonProperty("possible")
    POSSIBLE;

    /** An event written before certainty was reported says nothing: possible. */
    public static Certainty orPossible(Certainty certainty) {
        return certainty == null ? POSSIBLE : certainty;
    }
}
