package io.crosslink.events;

import com.fasterxml.jackson.annotation.JsonProperty;
/**
 * Strong identity of an API-key remote (Elasticsearch 9.3+ on both sides), decided once by connect-service so every
 * step applies the same facts:
 * <ul>
 *   <li>{@code certificateIdentity}: the regular expression R's cross-cluster key carries, matched against the DN of
 *       the certificate L signs with (L's node certificate, {@code CN=<node id>.node.<cluster id>.cluster.<scope id>}
 *       on Elastic Cloud Hosted);</li>
 *   <li>{@code signingCertificate}, {@code signingKey}: where that certificate and its key are on L's nodes, relative to
 *       the config folder ({@code cluster.remote.<alias>.signing.certificate|key} on L);</li>
 *   <li>{@code certificateAuthority}: where the CA that issued it is on R's nodes
 *       ({@code cluster.remote.signing.certificate_authorities} on R lists it).</li>
 * </ul>
 */
public record StrongIdentity(
        @JsonProperty(required = true) String certificateIdentity,
        @JsonProperty(required = true) String signingCertificate,
        @JsonProperty(required = true) String signingKey,
        @JsonProperty(required = true) String certificateAuthority) {

    /**
     * The key's pattern for the nodes of one Elasticsearch cluster, as Elastic documents it for Elastic Cloud
     * Hosted ({@code CN=.*.node.<cluster id>.cluster.*}), with every character of the cluster id but letters, digits,
     * {@code _} and {@code -} escaped, so it matches only itself.
     */
    public static String patternFor(String clusterId) {
        return "CN=[^,]+\\.node\\." + clusterId.replaceAll("[^A-Za-z0-9_-]", "\\\\$0") + "\\.cluster\\.[^,]+";
    }

    /** {@code cluster.remote.<alias>.signing.certificate}. */
    public static String signingCertificateSetting(String alias) {
        return "cluster.remote." + alias + ".signing.certificate";
    }

    /** {@code cluster.remote.<alias>.signing.key}. */
    public static String signingKeySetting(String alias) {
        return "cluster.remote." + alias + ".signing.key";
    }

    /** R's list of CAs it accepts signatures from. */
    public static final String CERTIFICATE_AUTHORITIES_SETTING = "cluster.remote.signing.certificate_authorities";
}
