package io.crosslink.events;

/**
 * Whom each side of a certificate-model connection trusts ({@code "trust":{"all":false}}): {@code all=false} (the
 * default) trusts only the peer's cluster id, {@code true} the peer's whole organization or ECE installation.
 */
public record TrustRequest(Boolean all) {
    /** The validated value: absent means only the peer's cluster. */
    public boolean trustAll() {
        return Boolean.TRUE.equals(all);
    }
}
