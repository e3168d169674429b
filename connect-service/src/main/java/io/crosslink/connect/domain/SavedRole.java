package io.crosslink.connect.domain;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A local role the saga is about to write or wrote on L, kept in connect-service's database before the write so
 * the undo knows what to do: {@code previous} is the role's definition as {@code GET /_security/role} showed it
 * before the saga's first write (null: it did not exist, the undo deletes it; otherwise the undo writes it back).
 * {@code undone} once the undo deleted or restored it.
 */
public record SavedRole(String name, JsonNode previous, boolean undone) {

    public SavedRole {
        // JSON null reads back as a NullNode: "did not exist" is always a plain null here.
        previous = previous == null || previous.isNull() ? null : previous;
    }

    public boolean existed() {
        return previous != null;
    }

    public SavedRole markUndone() {
        return new SavedRole(name, previous, true);
    }
}
