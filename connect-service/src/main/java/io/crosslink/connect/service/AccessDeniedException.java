package io.crosslink.connect.service;

import io.crosslink.events.Violation;
import java.util.List;

/** An authenticated caller whose token lacks what the call needs (a role, its team): answered 403 naming it. */
public class AccessDeniedException extends RuntimeException {
    private final transient List<Violation> violations;

    public AccessDeniedException(String detail, Violation violation) {
        super(detail, null, false, false);
        this.violations = List.of(violation);
    }

    public List<Violation> violations() {
        return violations;
    }
}
