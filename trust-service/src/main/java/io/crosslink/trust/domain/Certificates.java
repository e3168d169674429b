package io.crosslink.trust.domain;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * Identity of CA certificates: the SHA-256 fingerprint of the DER encoding, lowercase hex (what {@code TrustEdit}
 * records). PEM text is not compared: the Cloud API may normalize it (line breaks, headers) on the way back.
 */
public final class Certificates {

    private Certificates() {
    }

    /** The fingerprint of the single certificate in {@code pem}; empty when it does not parse. */
    public static Optional<String> fingerprint(String pem) {
        if (pem == null || pem.isBlank()) {
            return Optional.empty();
        }
        try {
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
            return Optional.of(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(certificate.getEncoded())));
        } catch (CertificateException | NoSuchAlgorithmException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The fingerprint of a {@code TrustedCertificate} ({@code {"pem", "metadata"}}) as the Cloud API returns it: from
     * the PEM, else from the read-only {@code metadata.fingerprint} (colons and case normalized).
     */
    public static Optional<String> fingerprintOf(JsonNode certificate) {
        Optional<String> fromPem = fingerprint(certificate.path("pem").asText(null));
        if (fromPem.isPresent()) {
            return fromPem;
        }
        String declared = certificate.path("metadata").path("fingerprint").asText("");
        return declared.isBlank() ? Optional.empty()
                : Optional.of(declared.replace(":", "").toLowerCase(Locale.ROOT));
    }
}
