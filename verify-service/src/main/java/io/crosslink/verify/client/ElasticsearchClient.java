package io.crosslink.verify.client;

/**
 * GET requests to a local deployment's Elasticsearch as the configured user. Answers of any status are
 * returned as they are; only a missing answer (no access configured, refused connection, timeout) throws
 * {@link ElasticCallException}.
 */
public interface ElasticsearchClient {

    ElasticAnswer get(String deploymentId, String pathAndQuery);
}
