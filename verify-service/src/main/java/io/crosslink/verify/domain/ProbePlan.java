package io.crosslink.verify.domain;

import io.crosslink.events.Access;

/**
 * How a connection proves itself inside the access its key grants.
 *
 * <ul>
 * <li>{@link SearchProbe}: a search through the remote, {@code GET /<alias>:<pattern>/_search?size=0}, on the
 * first index pattern of the first search grant.</li>
 * <li>{@link ConnectionProbe}: replication-only access grants neither search nor {@code view_index_metadata}
 * on R (checked on Elasticsearch 8.19: search and {@code _resolve/index} are refused or come back empty), so
 * the proof is the authenticated handshake itself: {@code _remote/info} connected with sockets and
 * {@code _resolve/cluster} answering with an authorization refusal, which only an authenticated key gets.</li>
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

    static ProbePlan of(String searchPattern) {
        return searchPattern == null ? new ConnectionProbe() : new SearchProbe(searchPattern);
    }

    /** The plan that fits the granted access: search when there is a search grant, else the handshake. */
    static ProbePlan forAccess(Access access) {
        if (access != null) {
            for (Access.Search search : access.search()) {
                if (search.names() != null && !search.names().isEmpty()) {
                    return new SearchProbe(search.names().get(0));
                }
            }
        }
        return new ConnectionProbe();
    }
}
