package io.crosslink.key.domain;

import java.util.List;

/**
 * What an undo did on R: the ids of the connection's keys it invalidated (every active key named
 * {@code crosslink-<connectionId>}, plus the recorded one while it was recorded active), and whether any of them
 * was still active ({@code removed=false}: nothing was left to undo).
 */
public record Invalidation(List<String> keyIds, boolean removed) {

    public Invalidation {
        keyIds = List.copyOf(keyIds);
    }

    public static Invalidation nothing() {
        return new Invalidation(List.of(), false);
    }
}
