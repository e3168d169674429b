package io.crosslink.trust.service;

import java.util.List;

/**
 * CA paths every write of R's {@code cluster.remote.signing.certificate_authorities} keeps
 * ({@code crosslink.strong-identity.kept-certificate-authorities}): Crosslink owns the setting's whole value, so CAs an
 * operator trusts there for other clusters are configured here.
 */
public record KeptSigningAuthorities(List<String> paths) {
    public KeptSigningAuthorities {
        paths = List.copyOf(paths);
    }

    public static KeptSigningAuthorities none() {
        return new KeptSigningAuthorities(List.of());
    }
}
