package io.crosslink.verify.client;

import io.crosslink.elastic.ElasticAnswer;

/**
 * The reads that prove a connection, on a local deployment's Elasticsearch as the configured user. Answers of any
 * permanent status are returned as they are, and so is a cross-cluster verdict (a 5xx naming the unreachable
 * remote); a missing or transient answer throws {@link io.crosslink.elastic.ElasticCallException}.
 */
public interface ElasticsearchClient {

    /**
     * {@code GET /_resolve/cluster/{expression}} on a deployment of {@code version} (as connect-service read it; null
     * when unknown), with a {@code timeout} where that version has one.
     */
    ElasticAnswer resolveCluster(String deploymentId, String version, String expression);

    /** {@code GET /_remote/info}. */
    ElasticAnswer remoteInfo(String deploymentId);

    /** {@code GET /{index}/_search?size=0}, {@code index} a cross-cluster expression {@code alias:pattern}. */
    ElasticAnswer search(String deploymentId, String index);
}
