package io.crosslink.elastic;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/** A deployment's Elasticsearch endpoint (Cloud's {@code service_url}) as its configured user (basic auth). */
public record ElasticsearchTarget(String deploymentId, URI baseUri, String username, String password,
        Optional<String> tlsConfiguration) implements ElasticTarget {

    public ElasticsearchTarget {
        tlsConfiguration = tlsConfiguration == null ? Optional.empty() : tlsConfiguration;
    }

    @Override
    public String name() {
        return "deployment " + deploymentId;
    }

    @Override
    public String authorization() {
        return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public List<String> secrets() {
        return List.of(password);
    }

    @Override
    public String toString() {
        return "ElasticsearchTarget[" + deploymentId + " " + displayUrl() + "]";
    }
}
