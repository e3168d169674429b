package io.crosslink.trust.service;

import io.crosslink.elastic.ElasticCallException;
import io.crosslink.elastic.TransientElasticCallException;
import io.crosslink.events.StepFailure;
import io.crosslink.events.StrongIdentity;
import io.crosslink.runtime.lock.NamedLock;
import io.crosslink.trust.client.SigningCaSettings;
import io.crosslink.trust.domain.SigningCaList;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Writes R's {@code cluster.remote.signing.certificate_authorities}, a list every connection to R shares and
 * Elasticsearch does not let anyone read back: each write sets the whole value from Crosslink's records (the kept
 * paths, then the paths of the connections whose grant is done), holding R's lock (saga-runtime's {@link NamedLock},
 * a PostgreSQL advisory lock shared by every instance), so no two writes of one R interleave and a release never
 * decides on references a grant is changing. Every write is the same PUT when repeated, so an answer lost is simply
 * written again. A lock held past {@code crosslink.lock.wait} is a transient failure
 * ({@code signing_authorities_busy}): the work item parks.
 */
@ApplicationScoped
public class SigningCaWriter {
    private static final Logger LOG = Logger.getLogger(SigningCaWriter.class);

    private final SigningCaSettings settings;
    private final SigningCaLedger ledger;
    private final NamedLock lock;
    private final KeptSigningAuthorities kept;

    public SigningCaWriter(SigningCaSettings settings, SigningCaLedger ledger, NamedLock lock,
            KeptSigningAuthorities kept) {
        this.settings = settings;
        this.ledger = ledger;
        this.lock = lock;
        this.kept = kept;
    }

    /**
     * Makes R list the path with every other one Crosslink holds there, and records the grant done. Throws
     * {@link ElasticCallException} when R cannot be written.
     */
    public void grant(PendingGrant grant) {
        holding(grant, () -> {
            List<String> held = new ArrayList<>(ledger.grantedPaths(grant.deploymentId()));
            held.add(grant.caPath());
            List<String> paths = SigningCaList.of(kept.paths(), held);
            settings.replace(grant.deploymentId(), paths);
            LOG.infof("connection %s: %s of %s set to %s", grant.connectionId(),
                    StrongIdentity.CERTIFICATE_AUTHORITIES_SETTING, grant.deploymentId(), paths);
            ledger.granted(grant);
            return null;
        });
    }

    /**
     * Gives the connection's reference up and, when it was the last one to its path, writes R's list without it first.
     * Returns whether R's list was written. Idempotent: a release that failed writes the same list when run again,
     * one that succeeded changes nothing more.
     */
    public boolean release(PendingGrant grant) {
        return holding(grant, () -> {
            if (!ledger.releaseDue(grant)) {
                return false;
            }
            List<String> held = new ArrayList<>(ledger.grantedPaths(grant.deploymentId()));
            held.remove(grant.caPath());
            List<String> paths = SigningCaList.of(kept.paths(), held);
            settings.replace(grant.deploymentId(), paths);
            ledger.released(grant);
            LOG.infof("connection %s: %s left %s of %s (its last reference), now %s", grant.connectionId(),
                    grant.caPath(), StrongIdentity.CERTIFICATE_AUTHORITIES_SETTING, grant.deploymentId(), paths);
            return true;
        });
    }

    private <T> T holding(PendingGrant grant, Supplier<T> change) {
        try {
            return lock.holding("signing-ca:" + grant.deploymentId(), change);
        } catch (NamedLock.Busy e) {
            throw new TransientElasticCallException(new StepFailure("signing_authorities_busy", "the signing "
                    + "certificate authorities of deployment " + grant.deploymentId() + " are being changed by another "
                    + "worker or instance", null, true));
        }
    }
}
