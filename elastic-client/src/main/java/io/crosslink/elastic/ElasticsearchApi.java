package io.crosslink.elastic;

import io.crosslink.elastic.ElasticTransport.Idempotency;
import io.crosslink.elastic.rest.ElasticsearchResource;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;

/**
 * A deployment's Elasticsearch as Crosslink uses it: cross-cluster API keys, roles, cluster settings and the
 * cross-cluster reads that prove a connection. Every call follows {@link ElasticTransport}'s policy; answers of a
 * permanent status are returned for the caller to read ({@link ElasticAnswer#requireOk()} when only 2xx will do).
 */
@ApplicationScoped
public class ElasticsearchApi {
    private final ElasticTransport transport;

    public ElasticsearchApi(ElasticTransport transport) {
        this.transport = transport;
    }

    /**
     * {@code POST /_security/cross_cluster/api_key}: sent once, as a second send would make a second key; the caller
     * repeats it safely by looking the key up by name first.
     */
    public ElasticAnswer createCrossClusterApiKey(ElasticsearchTarget target, String request) {
        return transport.send(target, ElasticsearchResource.class, "POST /_security/cross_cluster/api_key",
                Idempotency.ONCE, api -> api.createCrossClusterApiKey(request));
    }

    /** {@code GET /_security/api_key?name=...}, active ones only when asked. */
    public ElasticAnswer apiKeys(ElasticsearchTarget target, String name, boolean activeOnly) {
        return transport.send(target, ElasticsearchResource.class, "GET /_security/api_key", Idempotency.IDEMPOTENT,
                api -> api.apiKeys(name, activeOnly ? Boolean.TRUE : null));
    }

    /** {@code DELETE /_security/api_key} with {@code {"ids":[...]}}: invalidating twice changes nothing. */
    public ElasticAnswer invalidateApiKeys(ElasticsearchTarget target, String request) {
        return transport.send(target, ElasticsearchResource.class, "DELETE /_security/api_key",
                Idempotency.IDEMPOTENT, api -> api.invalidateApiKeys(request));
    }

    /** {@code GET /_security/role/{name}}: 200 {@code {"<name>":{...}}}, or 404 when there is none. */
    public ElasticAnswer role(ElasticsearchTarget target, String name) {
        return transport.send(target, ElasticsearchResource.class, "GET /_security/role/{name}",
                Idempotency.IDEMPOTENT, api -> api.role(name));
    }

    /** {@code PUT /_security/role/{name}}: creates or replaces the whole role. */
    public ElasticAnswer putRole(ElasticsearchTarget target, String name, String role) {
        return transport.send(target, ElasticsearchResource.class, "PUT /_security/role/{name}",
                Idempotency.IDEMPOTENT, api -> api.putRole(name, role));
    }

    /** {@code DELETE /_security/role/{name}}: 200 {@code {"found":true}} or 404 {@code {"found":false}}. */
    public ElasticAnswer deleteRole(ElasticsearchTarget target, String name) {
        return transport.send(target, ElasticsearchResource.class, "DELETE /_security/role/{name}",
                Idempotency.IDEMPOTENT, api -> api.deleteRole(name));
    }

    /** {@code GET /_cluster/settings}: persistent and transient settings as set. */
    public ElasticAnswer clusterSettings(ElasticsearchTarget target) {
        return transport.send(target, ElasticsearchResource.class, "GET /_cluster/settings", Idempotency.IDEMPOTENT,
                api -> api.clusterSettings(null));
    }

    /** {@code PUT /_cluster/settings}: the values it carries, so the same again changes nothing. */
    public ElasticAnswer putClusterSettings(ElasticsearchTarget target, String settings) {
        return transport.send(target, ElasticsearchResource.class, "PUT /_cluster/settings", Idempotency.IDEMPOTENT,
                api -> api.putClusterSettings(settings));
    }

    /** {@code GET /_resolve/cluster/{expression}}, with {@code timeout} where the version supports it (8.18+). */
    public ElasticAnswer resolveCluster(ElasticsearchTarget target, String expression, Optional<Duration> timeout) {
        String wait = timeout.map(duration -> duration.toMillis() + "ms").orElse(null);
        return transport.send(target, ElasticsearchResource.class, "GET /_resolve/cluster/{expression}",
                Idempotency.IDEMPOTENT, api -> api.resolveCluster(expression, wait));
    }

    /** {@code GET /_remote/info}: each remote's mode, connected flag and sockets. */
    public ElasticAnswer remoteInfo(ElasticsearchTarget target) {
        return transport.send(target, ElasticsearchResource.class, "GET /_remote/info", Idempotency.IDEMPOTENT,
                ElasticsearchResource::remoteInfo);
    }

    /** {@code GET /{index}/_search?size=...}; {@code index} may be a cross-cluster expression {@code alias:pattern}. */
    public ElasticAnswer search(ElasticsearchTarget target, String index, int size) {
        return transport.send(target, ElasticsearchResource.class, "GET /{index}/_search", Idempotency.IDEMPOTENT,
                api -> api.search(index, size));
    }
}
