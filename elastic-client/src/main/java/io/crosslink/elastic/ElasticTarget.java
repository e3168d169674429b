package io.crosslink.elastic;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * Where a call goes and as whom: a Cloud API environment or a deployment's Elasticsearch. Base URLs are
 * configuration, chosen per call. {@code toString} never shows a credential.
 */
public sealed interface ElasticTarget permits CloudTarget, ElasticsearchTarget {

    /** For messages: {@code environment ece} or {@code deployment <id>}. */
    String name();

    URI baseUri();

    /** The {@code Authorization} header value. */
    String authorization();

    /** Values redacted from every failure text besides the usual shapes. */
    List<String> secrets();

    /**
     * A named TLS configuration of the Quarkus TLS registry ({@code quarkus.tls.<name>.trust-store...}) for an
     * endpoint whose certificate is from its own CA (a real ECE's Cloud API on 12443); empty: the JVM's trust.
     */
    Optional<String> tlsConfiguration();

    /** The base URL without user info, for messages. */
    default String displayUrl() {
        URI uri = baseUri();
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }
}
