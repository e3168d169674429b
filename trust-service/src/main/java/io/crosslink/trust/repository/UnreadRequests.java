package io.crosslink.trust.repository;

import io.crosslink.trust.domain.UnreadRequest;
import java.util.Optional;

/** Connections whose request was never read, by connection id (an interface, so tests need no database). */
public interface UnreadRequests {

    /** The connection's row, created when missing, locked until the transaction ends. */
    UnreadRequest lockOrCreate(String connectionId);

    /** The connection's row, if any, without a lock. */
    Optional<UnreadRequest> find(String connectionId);
}
