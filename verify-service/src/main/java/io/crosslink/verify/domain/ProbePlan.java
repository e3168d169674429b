package io.crosslink.verify.domain;

import io.crosslink.events.Access;
import io.crosslink.events.ConnectionRequest;

/**
 * How a connection proves itself.
 *
 * <ul>
 * <li>{@link SearchProbe} (API-key model): a search through the remote, {@code GET /<alias>:<pattern>/_search?size=0},
 * on the first index pattern of the first search grant.</li>
 * <li>{@link ConnectionProbe} (API-key model): replication-only access grants neither search nor
 * {@code view_index_metadata} on R (checked on Elasticsearch 8.19: search and {@code _resolve/index} are refused or
 * come back empty), so the proof is the authenticated handshake itself: {@code _remote/info} connected with sockets
 * and {@code _resolve/cluster} answering with an authorization refusal, which only an authenticated key gets.</li>
 * <li>{@link CertificateProbe} (certificate model): there is no key and no granted access; R's roles decide. The
 * proof is {@code _resolve/cluster} connected and a search on {@code <alias>:*} that R answered (its cluster
 * {@code successful} in {@code _clusters}), since {@code _remote/info} can say connected from a resumed TLS session.</li>
 * </ul>
 */
public sealed interface ProbePlan {

    /** The index pattern searched, or null for {@link ConnectionProbe}. */
    String pattern();

    record SearchProbe(String pattern) implements ProbePlan {
    }

    record ConnectionProbe() implements ProbePlan {
        @Override
        public String pattern() {
            return null;
        }
    }

    record CertificateProbe() implements ProbePlan {
        /** Every index R lets the caller see: the probe is about the connection, not about an access grant. */
        public static final String PATTERN = "*";

        @Override
        public String pattern() {
            return PATTERN;
        }
    }

    /** The plan as stored: the certificate model's probe, or the API-key probe of the stored pattern. */
    static ProbePlan of(boolean certificateModel, String searchPattern) {
        if (certificateModel) {
            return new CertificateProbe();
        }
        return searchPattern == null ? new ConnectionProbe() : new SearchProbe(searchPattern);
    }

    /** The plan that fits the request: the certificate model's probe, else the one that fits the granted access. */
    static ProbePlan forRequest(ConnectionRequest request) {
        return request.certificateModel() ? new CertificateProbe() : forAccess(request.access());
    }

    /** The plan that fits the granted access: search when there is a search grant, else the handshake. */
    static ProbePlan forAccess(Access access) {
        if (access != null && access.search() != null) {
            for (Access.Search search : access.search()) {
                if (search.names() != null && !search.names().isEmpty()) {
                    return new SearchProbe(search.names().get(0));
                }
            }
        }
        return new ConnectionProbe();
    }
}
