package io.crosslink.trust.client;

import io.crosslink.elastic.ElasticCallException;
import io.crosslink.events.StepFailure;

/**
 * 409 to an update naming {@code version}: the deployment changed since it was read (another writer). Nothing of
 * the update was applied; read again, edit again, write again.
 */
public class TrustVersionConflict extends ElasticCallException {

    public TrustVersionConflict(StepFailure failure) {
        super(failure, null, null);
    }
}
