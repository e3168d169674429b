package io.crosslink.trust.repository;

import io.crosslink.events.TrustEdit;
import io.crosslink.trust.domain.TrustEditRecord;
import io.crosslink.trust.domain.TrustLink;
import java.util.List;
import java.util.Optional;

/** Certificate-model trust rows by connection id (an interface, so step logic can be tested without a database). */
public interface TrustLinks {

    /**
     * The connection's row, created when missing, locked until the transaction ends: the step's writes, the
     * tombstone and the undo meet on it, so a write is either recorded before the tombstone (and undone) or sees it.
     */
    TrustLink lockOrCreate(String connectionId);

    /** The connection's row, if any, without a lock. */
    Optional<TrustLink> find(String connectionId);

    /** The recorded edits of a connection (one per deployment). */
    List<TrustEditRecord> edits(String connectionId);

    /** Records {@code edit} as the connection's planned edit of {@code edit.deploymentId()} (replacing an earlier one). */
    TrustEditRecord recordEdit(String connectionId, TrustEdit edit);

    /** The connection's recorded edit of a deployment, if any. */
    Optional<TrustEditRecord> edit(String connectionId, String deploymentId);

    /** Every connection's recorded edit of a deployment. */
    List<TrustEditRecord> editsOn(String deploymentId);
}
