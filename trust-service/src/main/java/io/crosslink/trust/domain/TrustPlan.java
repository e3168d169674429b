package io.crosslink.trust.domain;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crosslink.events.TrustEdit;

/**
 * The outcome of editing one deployment's trust settings: the complete trust object to send ({@code trust}, every
 * entry and field not concerned kept as read), what the edit is ({@code edit}: what was added, or what is undone),
 * and whether it differs from what was read ({@code changed}: false means no PUT).
 */
public record TrustPlan(TrustEdit edit, ObjectNode trust, boolean changed) {
}
