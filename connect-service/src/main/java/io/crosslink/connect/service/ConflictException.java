package io.crosslink.connect.service;

import io.crosslink.events.Violation;
import java.util.List;

/** A request that conflicts with an existing connection: answered 409. */
public class ConflictException extends RuntimeException {
    /** The alias is taken on the local deployment by a live connection. */
    public static final String ALIAS_IN_USE = "alias-in-use";
    /** The Idempotency-Key was used with another body. */
    public static final String IDEMPOTENCY_KEY_REUSED = "idempotency-key-reused";

    private final String kind;
    private final transient List<Violation> violations;

    public ConflictException(String kind, String detail, List<Violation> violations) {
        super(detail, null, false, false);
        this.kind = kind;
        this.violations = List.copyOf(violations);
    }

    public String kind() {
        return kind;
    }

    public List<Violation> violations() {
        return violations;
    }
}
