package io.crosslink.elastic;

import io.crosslink.elastic.ElasticTransport.Idempotency;
import io.crosslink.elastic.rest.CloudApiResource;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import java.util.Objects;

/**
 * The Cloud API (ECE, Elastic Cloud) as Crosslink uses it: deployments, trust settings, account, certificate
 * authority, remote clusters and keystore. Every call follows {@link ElasticTransport}'s policy; answers of a
 * permanent status are returned for the caller to read ({@link ElasticAnswer#requireOk()} when only 2xx will do).
 */
@ApplicationScoped
public class CloudApi {
    private final ElasticTransport transport;

    public CloudApi(ElasticTransport transport) {
        this.transport = transport;
    }

    /** {@code GET /api/v1/deployments/{id}}, with its settings and plans when asked. */
    public ElasticAnswer deployment(CloudTarget target, String deploymentId, boolean settingsAndPlans) {
        Boolean show = settingsAndPlans ? Boolean.TRUE : null;
        return transport.send(target, CloudApiResource.class, "GET /api/v1/deployments/{id}", Idempotency.IDEMPOTENT,
                api -> api.deployment(deploymentId, show, show));
    }

    /**
     * {@code PUT /api/v1/deployments/{id}?version=...}: conditional on the version read, so it is never sent twice
     * (a second send after a lost answer would meet a 409 for its own change).
     */
    public ElasticAnswer updateDeployment(CloudTarget target, String deploymentId, String version, String request) {
        return transport.send(target, CloudApiResource.class, "PUT /api/v1/deployments/{id}", Idempotency.ONCE,
                api -> api.updateDeployment(deploymentId, version, request));
    }

    /** {@code GET /api/v1/account}. */
    public ElasticAnswer account(CloudTarget target) {
        return transport.send(target, CloudApiResource.class, "GET /api/v1/account", Idempotency.IDEMPOTENT,
                CloudApiResource::account);
    }

    /** {@code GET /api/v1/deployments/{id}/certificate-authority}. */
    public ElasticAnswer certificateAuthority(CloudTarget target, String deploymentId) {
        return transport.send(target, CloudApiResource.class, "GET /api/v1/deployments/{id}/certificate-authority",
                Idempotency.IDEMPOTENT, api -> api.certificateAuthority(deploymentId));
    }

    /** {@code GET .../elasticsearch/{ref_id}/remote-clusters}. */
    public ElasticAnswer remoteClusters(CloudTarget target, String deploymentId, String refId) {
        return transport.send(target, CloudApiResource.class, "GET .../remote-clusters", Idempotency.IDEMPOTENT,
                api -> api.remoteClusters(deploymentId, refId));
    }

    /** {@code PUT .../remote-clusters}: the whole list, so sending it again writes the same list. */
    public ElasticAnswer putRemoteClusters(CloudTarget target, String deploymentId, String refId, String remoteResources) {
        return transport.send(target, CloudApiResource.class, "PUT .../remote-clusters", Idempotency.IDEMPOTENT,
                api -> api.putRemoteClusters(deploymentId, refId, remoteResources));
    }

    /** {@code GET .../elasticsearch/{ref_id}/keystore}: the entries' names. */
    public ElasticAnswer keystore(CloudTarget target, String deploymentId, String refId) {
        return transport.send(target, CloudApiResource.class, "GET .../keystore", Idempotency.IDEMPOTENT,
                api -> api.keystore(deploymentId, refId));
    }

    /**
     * {@code PATCH .../keystore}: sets (or, without a value, removes) exactly the entries it names, so sending it
     * again has the same effect. {@code secrets} (the values sent; nulls are skipped) are redacted from any failure.
     */
    public ElasticAnswer patchKeystore(CloudTarget target, String deploymentId, String refId, String contents,
            String... secrets) {
        return transport.send(target, CloudApiResource.class, "PATCH .../keystore", Idempotency.IDEMPOTENT,
                api -> api.patchKeystore(deploymentId, refId, contents),
                Arrays.stream(secrets).filter(Objects::nonNull).toArray(String[]::new));
    }
}
