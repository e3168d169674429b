package io.crosslink.verify.repository;

import io.crosslink.verify.domain.RequestedConnection;
import io.crosslink.verify.domain.Verification;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.Optional;

@ApplicationScoped
public class PanacheVerificationStore implements VerificationStore {

    @Override
    public Optional<RequestedConnection> connection(String connectionId) {
        return RequestedConnection.findByIdOptional(connectionId);
    }

    @Override
    public void add(RequestedConnection connection) {
        connection.persist();
    }

    @Override
    public Optional<Verification> verification(String connectionId) {
        return Verification.findByIdOptional(connectionId);
    }

    @Override
    public Optional<Verification> lockVerification(String connectionId) {
        // SELECT ... FOR UPDATE: waits for a concurrent cancel or conclusion and reads what it committed.
        return Verification.findByIdOptional(connectionId, LockModeType.PESSIMISTIC_WRITE);
    }

    @Override
    public void add(Verification verification) {
        verification.persist();
    }
}
