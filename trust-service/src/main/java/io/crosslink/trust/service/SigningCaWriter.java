package io.crosslink.trust.service;

import io.crosslink.elastic.ElasticCallException;
import io.crosslink.elastic.TransientElasticCallException;
import io.crosslink.events.StepFailure;
import io.crosslink.events.StrongIdentity;
import io.crosslink.runtime.lock.NamedLock;
import io.crosslink.trust.client.SigningCaSettings;
import io.crosslink.trust.domain.SigningCaList;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Read-modify-writes of R's {@code cluster.remote.signing.certificate_authorities}, a list every connection to R
 * shares: each one reads the list, PUTs it whole with or without the path, and records what it did, holding R's
 * lock (saga-runtime's {@link NamedLock}, a PostgreSQL advisory lock shared by every instance), so no two changes of
 * one R interleave and a release never decides on a reference count a grant is changing. A lock held past
 * {@code crosslink.lock.wait} is a transient failure ({@code signing_authorities_busy}): the work item parks.
 */
@ApplicationScoped
public class SigningCaWriter {
    private static final Logger LOG = Logger.getLogger(SigningCaWriter.class);

    private final SigningCaSettings settings;
    private final SigningCaLedger ledger;
    private final NamedLock lock;

    public SigningCaWriter(SigningCaSettings settings, SigningCaLedger ledger, NamedLock lock) {
        this.settings = settings;
        this.ledger = ledger;
        this.lock = lock;
    }

    /**
     * Makes R list the path (no PUT when it does already) and records the grant done. Throws
     * {@link ElasticCallException} when R cannot be read or written; a PUT whose answer is lost is found on the next
     * run's read.
     */
    public void grant(PendingGrant grant) {
        holding(grant, () -> {
            List<String> listed = settings.listed(grant.deploymentId());
            if (listed.contains(grant.caPath())) {
                LOG.infof("connection %s: %s lists %s already", grant.connectionId(), grant.deploymentId(),
                        grant.caPath());
            } else {
                ledger.adding(grant);
                settings.replace(grant.deploymentId(), SigningCaList.with(listed, grant.caPath()));
                LOG.infof("connection %s: %s added to %s of %s", grant.connectionId(), grant.caPath(),
                        StrongIdentity.CERTIFICATE_AUTHORITIES_SETTING, grant.deploymentId());
            }
            ledger.granted(grant);
            return null;
        });
    }

    /**
     * Gives the connection's reference up and, when it was the last one to a path Crosslink added, removes the path
     * from R's list (read first: a path already gone needs no PUT). Returns whether a PUT removed it now. Idempotent:
     * run again, it finds the reference released and the path gone.
     */
    public boolean release(PendingGrant grant) {
        return holding(grant, () -> {
            if (!ledger.release(grant)) {
                return false;
            }
            List<String> listed = settings.listed(grant.deploymentId());
            boolean removing = listed.contains(grant.caPath());
            if (removing) {
                settings.replace(grant.deploymentId(), SigningCaList.without(listed, grant.caPath()));
                LOG.infof("connection %s: %s removed from %s of %s (its last reference)", grant.connectionId(),
                        grant.caPath(), StrongIdentity.CERTIFICATE_AUTHORITIES_SETTING,
                        grant.deploymentId());
            }
            ledger.pathGone(grant);
            return removing;
        });
    }

    /**
     * After a release failed for good: whether R still lists the path (recorded gone when it does not); empty when
     * R cannot be read.
     */
    public Optional<Boolean> stillListed(PendingGrant grant) {
        try {
            return holding(grant, () -> {
                boolean listed = settings.listed(grant.deploymentId()).contains(grant.caPath());
                if (!listed) {
                    ledger.pathGone(grant);
                }
                return Optional.of(listed);
            });
        } catch (ElasticCallException e) {
            LOG.warnf("connection %s: the cluster settings of %s cannot be read: %s", grant.connectionId(),
                    grant.deploymentId(), e.getMessage());
            return Optional.empty();
        }
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
