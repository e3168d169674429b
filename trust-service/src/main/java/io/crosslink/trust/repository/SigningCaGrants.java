package io.crosslink.trust.repository;

import io.crosslink.trust.domain.SigningCaGrant;
import io.crosslink.trust.domain.SigningCaPath;
import java.util.Optional;

/**
 * Strong identity's references to L's signing CA on R and what Crosslink knows of each path on R (an interface, so
 * step logic can be tested without a database). Callers serialise per connection (the keystore entry's row lock)
 * and per R (the advisory lock around each read-modify-write of R's list).
 */
public interface SigningCaGrants {

    Optional<SigningCaGrant> find(String connectionId);

    void add(SigningCaGrant grant);

    /** Whether a connection other than {@code connectionId} holds, or is about to hold, the path on R. */
    boolean heldByAnother(String deploymentId, String caPath, String connectionId);

    Optional<SigningCaPath> path(String deploymentId, String caPath);

    /** The path's row, created (not added by Crosslink) when missing. */
    SigningCaPath pathOrCreate(String deploymentId, String caPath);
}
