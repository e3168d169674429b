package io.crosslink.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * "Connect deployment {@code local} to deployment {@code remote} as remote cluster {@code alias}, with this
 * access": the body of {@code POST /api/v1/connections}, validated. {@code skipUnavailable} is never null
 * once validated (default true, as Elasticsearch 8.15+ does). {@code roles} (optional, API-key model): local roles
 * connect-service creates or updates on L with {@code remote_indices} for the alias; absent when none.
 * {@code access} is what R's cross-cluster API key grants: required in the API-key model, absent in the certificate
 * model (there R's roles decide). {@code trust} and {@code registration} belong to the certificate model only; once
 * validated, a certificate-model request carries both (defaults: only the peer's cluster, cluster settings).
 * {@code certificateIdentity} (optional, API-key model, Elasticsearch 9.3+ on both sides): R's key accepts only
 * requests that L signs with its own node certificate (strong identity); absent means false.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConnectionRequest(
        @JsonProperty(required = true) String alias,
        @JsonProperty(required = true) SecurityModel securityModel,
        @JsonProperty(required = true) DeploymentRef local,
        @JsonProperty(required = true) DeploymentRef remote,
        Access access,
        Boolean skipUnavailable,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<RoleRequest> roles,
        TrustRequest trust,
        Registration registration,
        Boolean certificateIdentity) {

    /** A request without strong identity. */
    public ConnectionRequest(String alias, SecurityModel securityModel, DeploymentRef local, DeploymentRef remote,
            Access access, Boolean skipUnavailable, List<RoleRequest> roles, TrustRequest trust,
            Registration registration) {
        this(alias, securityModel, local, remote, access, skipUnavailable, roles, trust, registration, null);
    }

    /** An API-key request with roles. */
    public ConnectionRequest(String alias, SecurityModel securityModel, DeploymentRef local, DeploymentRef remote,
            Access access, Boolean skipUnavailable, List<RoleRequest> roles) {
        this(alias, securityModel, local, remote, access, skipUnavailable, roles, null, null);
    }

    /** A request without roles. */
    public ConnectionRequest(String alias, SecurityModel securityModel, DeploymentRef local, DeploymentRef remote,
            Access access, Boolean skipUnavailable) {
        this(alias, securityModel, local, remote, access, skipUnavailable, null, null, null);
    }

    /** A certificate-model request. */
    public static ConnectionRequest tlsCertificate(String alias, DeploymentRef local, DeploymentRef remote,
            Boolean skipUnavailable, TrustRequest trust, Registration registration) {
        return new ConnectionRequest(alias, SecurityModel.TLS_CERTIFICATE, local, remote, null, skipUnavailable, null,
                trust, registration);
    }

    public boolean certificateModel() {
        return securityModel == SecurityModel.TLS_CERTIFICATE;
    }

    /** Certificate model: whether each side trusts the peer's whole organization or installation. */
    public boolean trustAll() {
        return trust != null && trust.trustAll();
    }

    /** Certificate model: how the remote is registered (cluster settings unless the request says otherwise). */
    public Registration registrationOrDefault() {
        return registration == null ? Registration.CLUSTER_SETTINGS : registration;
    }

    /** API-key model: whether L must sign its requests and R's key checks the signer (strong identity). */
    public boolean strongIdentity() {
        return Boolean.TRUE.equals(certificateIdentity);
    }

    /** The roles to apply on L; empty when the request names none. */
    public List<RoleRequest> rolesOrEmpty() {
        return roles == null ? List.of() : roles;
    }

    /** The keystore setting that holds the remote's credentials on L. */
    public String credentialsSetting() {
        return credentialsSetting(alias);
    }

    public static String credentialsSetting(String alias) {
        return "cluster.remote." + alias + ".credentials";
    }
}
