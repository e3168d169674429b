package io.crosslink.verify.support;

import io.crosslink.verify.domain.RequestedConnection;
import io.crosslink.verify.domain.Verification;
import io.crosslink.verify.repository.VerificationStore;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The store without a database: what survives a "restart" is whatever this object holds. */
public final class InMemoryStore implements VerificationStore {
    public final Map<String, RequestedConnection> connections = new LinkedHashMap<>();
    public final Map<String, Verification> verifications = new LinkedHashMap<>();

    @Override
    public Optional<RequestedConnection> connection(String connectionId) {
        return Optional.ofNullable(connections.get(connectionId));
    }

    @Override
    public void add(RequestedConnection connection) {
        connections.put(connection.connectionId, connection);
    }

    @Override
    public Optional<Verification> verification(String connectionId) {
        return Optional.ofNullable(verifications.get(connectionId));
    }

    @Override
    public Optional<Verification> lockVerification(String connectionId) {
        return verification(connectionId);
    }

    @Override
    public void add(Verification verification) {
        verifications.put(verification.connectionId, verification);
    }
}
