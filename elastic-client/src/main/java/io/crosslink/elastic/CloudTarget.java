package io.crosslink.elastic;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/** The Cloud API of an environment (ECE or Elastic Cloud), {@code Authorization: ApiKey <key>}. */
public record CloudTarget(String environment, URI baseUri, String apiKey, Optional<String> tlsConfiguration)
        implements ElasticTarget {

    public CloudTarget {
        tlsConfiguration = tlsConfiguration == null ? Optional.empty() : tlsConfiguration;
    }

    public static CloudTarget of(String environment, String url, String apiKey, Optional<String> tlsConfiguration) {
        return new CloudTarget(environment, URI.create(url), apiKey, tlsConfiguration);
    }

    @Override
    public String name() {
        return "environment " + environment;
    }

    @Override
    public String authorization() {
        return "ApiKey " + apiKey;
    }

    @Override
    public List<String> secrets() {
        return List.of(apiKey);
    }

    @Override
    public String toString() {
        return "CloudTarget[" + environment + " " + displayUrl() + "]";
    }
}
