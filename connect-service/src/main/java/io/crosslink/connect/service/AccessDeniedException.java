package io.crosslink.connect.service;

import io.crosslink.events.Violation;
import java.util.List;

/**
 * An authenticated caller whose token lacks what the call needs (a role, its team), or whose request the access policy
 * does not allow: answered 403 naming each field and why (a policy refusal names the rule). On the connection-requests
 * topic the same violations make the request REJECTED.
 */
public class AccessDeniedException extends RuntimeException {
    private final transient List<Violation> violations;

    public AccessDeniedException(String detail, Violation violation) {
        super(detail, null, false, false);
        this.violations = List.of(violation);
    }

    public AccessDeniedException(String detail, List<Violation> violations) {
        super(detail, null, false, false);
        this.violations = List.copyOf(violations);
    }

    public List<Violation> violations() {
        return violations;
    }
}
