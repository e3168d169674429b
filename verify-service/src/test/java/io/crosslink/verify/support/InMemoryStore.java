package io.crosslink.verify.support;

import io.crosslink.verify.domain.RequestedConnection;
import io.crosslink.verify.domain.VerificationJob;
import io.crosslink.verify.repository.VerificationStore;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The store without a database: what survives a "restart" is whatever this object holds. */
public final class InMemoryStore implements VerificationStore {
    public final Map<String, RequestedConnection> connections = new LinkedHashMap<>();
    public final Map<String, VerificationJob> jobs = new LinkedHashMap<>();

    @Override
    public Optional<RequestedConnection> connection(String connectionId) {
        return Optional.ofNullable(connections.get(connectionId));
    }

    @Override
    public void add(RequestedConnection connection) {
        connections.put(connection.connectionId, connection);
    }

    @Override
    public Optional<VerificationJob> job(String connectionId) {
        return Optional.ofNullable(jobs.get(connectionId));
    }

    @Override
    public void add(VerificationJob job) {
        jobs.put(job.connectionId, job);
    }

    @Override
    public List<VerificationJob> lockDue(Instant now, int limit) {
        return jobs.values().stream()
                .filter(job -> job.isDue(now))
                .sorted(Comparator.comparing(job -> job.nextAttemptAt))
                .limit(limit)
                .toList();
    }
}
