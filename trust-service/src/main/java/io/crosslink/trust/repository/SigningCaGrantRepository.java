package io.crosslink.trust.repository;

import io.crosslink.trust.domain.GrantStatus;
import io.crosslink.trust.domain.SigningCaGrant;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class SigningCaGrantRepository implements SigningCaGrants {
    private static final List<GrantStatus> HOLDING = List.of(GrantStatus.WANTED, GrantStatus.GRANTED);

    private final EntityManager entityManager;

    public SigningCaGrantRepository(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<SigningCaGrant> find(String connectionId) {
        return Optional.ofNullable(entityManager.find(SigningCaGrant.class, connectionId));
    }

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public void add(SigningCaGrant grant) {
        entityManager.persist(grant);
    }

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean heldByAnother(String deploymentId, String caPath, String connectionId) {
        return entityManager.createQuery("select count(g) from SigningCaGrant g where g.deploymentId = :deployment"
                        + " and g.caPath = :path and g.connectionId <> :connection and g.status in :holding", Long.class)
                .setParameter("deployment", deploymentId)
                .setParameter("path", caPath)
                .setParameter("connection", connectionId)
                .setParameter("holding", HOLDING)
                .getSingleResult() > 0;
    }

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public List<String> grantedPaths(String deploymentId) {
        return entityManager.createQuery("select g.caPath from SigningCaGrant g where g.deploymentId = :deployment"
                        + " and g.status = :granted group by g.caPath order by min(g.createdAt)", String.class)
                .setParameter("deployment", deploymentId)
                .setParameter("granted", GrantStatus.GRANTED)
                .getResultList();
    }
}
