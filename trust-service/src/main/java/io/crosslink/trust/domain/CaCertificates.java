package io.crosslink.trust.domain;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A deployment's CA as {@code GET /api/v1/deployments/{id}/certificate-authority} returns it: the PEMs a peer must
 * trust (the active certificates; all of them when none is marked active) and the trust restriction that matches
 * this deployment's nodes only ({@code *.<cluster id>.<domain>}), which the platform derives from a peer's allow-list.
 */
public record CaCertificates(List<String> pems, String recommendedTrustRestriction) {

    public CaCertificates {
        pems = List.copyOf(pems);
    }

    public static CaCertificates from(JsonNode answer) {
        List<String> active = new ArrayList<>();
        List<String> all = new ArrayList<>();
        for (JsonNode certificate : answer.path("public_certificates")) {
            String pem = certificate.path("pem").asText("");
            if (pem.isBlank()) {
                continue;
            }
            all.add(pem);
            if (certificate.path("active").asBoolean(false)) {
                active.add(pem);
            }
        }
        return new CaCertificates(active.isEmpty() ? all : active,
                answer.path("recommended_trust_restriction").asText(null));
    }
}
