package io.crosslink.trust.repository;

import io.crosslink.trust.domain.SigningCaGrant;
import java.util.List;
import java.util.Optional;

/**
 * Strong identity's references to L's signing CA on R (an interface, so step logic can be tested without a
 * database). Callers serialise per connection (the keystore entry's row lock) and per R (the advisory lock around each
 * write of R's list).
 */
public interface SigningCaGrants {

    Optional<SigningCaGrant> find(String connectionId);

    void add(SigningCaGrant grant);

    /** Whether a connection other than {@code connectionId} holds, or is about to hold, the path on R. */
    boolean heldByAnother(String deploymentId, String caPath, String connectionId);

    /** The paths R lists for the connections whose grant is done, in the order they were first granted. */
    List<String> grantedPaths(String deploymentId);
}
