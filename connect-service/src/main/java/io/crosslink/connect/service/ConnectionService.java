package io.crosslink.connect.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.crosslink.connect.domain.Connection;
import io.crosslink.connect.domain.Fingerprint;
import io.crosslink.connect.domain.PendingWork;
import io.crosslink.events.CompensationCause;
import io.crosslink.events.ConnectionDocument;
import io.crosslink.events.ConnectionEvent.ConnectionRejected;
import io.crosslink.events.ConnectionRequest;
import io.crosslink.events.ConnectionStatus;
import io.crosslink.events.Violation;
import io.crosslink.runtime.messaging.Outbox;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hibernate.exception.ConstraintViolationException;
import org.jboss.logging.Logger;

/**
 * Takes connection requests (REST and the connection-requests topic) and answers queries. An accepted request
 * is stored in REQUESTED with its Cloud API checks pending; the worker runs them after the commit. A REST request
 * belongs to its caller's team; a caller sees only what {@link Caller#sees} allows, and anything else is answered
 * exactly as an absent connection.
 */
@ApplicationScoped
public class ConnectionService {
    private static final Logger LOG = Logger.getLogger(ConnectionService.class);
    static final String REST_KEY = "rest:";
    static final String KAFKA_KEY = "kafka:";

    private final ConnectionJournal journal;
    private final Compensations compensations;

    public ConnectionService(ConnectionJournal journal, Compensations compensations) {
        this.journal = journal;
        this.compensations = compensations;
    }

    /** The result of a REST submission: the connection and whether it was created by this call. */
    public record Submission(ConnectionDocument document, boolean created) {
    }

    /** What became of a record of the connection-requests topic. */
    public enum Intake {
        ACCEPTED, REJECTED, DUPLICATE
    }

    public record Page<T>(List<T> items, int page, int size, long total) {
    }

    /**
     * A REST request of {@code caller} (roles checked by the caller of this method): 400 on violations, 409 on a taken
     * alias or an Idempotency-Key its team used with another body.
     */
    @Transactional
    public Submission submit(JsonNode body, Optional<String> idempotencyKey, Caller caller) {
        RequestValidator.Result result = RequestValidator.validate(body);
        if (!result.valid()) {
            throw new InvalidRequestException("The request has invalid fields.", result.violations());
        }
        ConnectionRequest request = result.request();
        String fingerprint = Fingerprint.of(request);
        String key = idempotencyKey.map(k -> restKey(caller.team(), k)).orElse(null);
        if (key != null) {
            // Requests with one key queue here until the first one's transaction ends; each then reads what it
            // stored. So parallel retries all get the one connection (or 409 for another body), never the
            // unique constraint on the key.
            Connection.lockIdempotencyKey(key);
            Optional<Connection> earlier = Connection.byIdempotencyKey(key);
            if (earlier.isPresent()) {
                if (earlier.get().fingerprint.equals(fingerprint)) {
                    return new Submission(earlier.get().document(), false);
                }
                throw new ConflictException(ConflictException.IDEMPOTENCY_KEY_REUSED,
                        "This Idempotency-Key was used with another request body.",
                        List.of(new Violation("Idempotency-Key", "already used with another request body")));
            }
        }
        if (Connection.aliasInUse(request.local().deploymentId(), request.alias())) {
            throw aliasInUse(request);
        }
        Connection connection = Connection.requested(request, fingerprint, key, null);
        connection.team = caller.team();
        connection.subject = caller.subject();
        // The row may be inserted by any of these calls (the outbox's identity insert flushes it): a request with
        // another key that took the alias in the meantime is answered 409 wherever the constraint fires.
        try {
            journal.schedule(connection, PendingWork.CHECKS);
            journal.created(connection);
            Connection.flush();
        } catch (PersistenceException e) {
            throw conflict(e, request);
        }
        return new Submission(connection.document(), true);
    }

    /**
     * A well-formed record of the connection-requests topic. Invalid requests, taken aliases and a requestId
     * reused with another body become REJECTED connections; the same requestId and body again is a no-op.
     */
    @Transactional
    public Intake submitFromTopic(String requestId, JsonNode body) {
        RequestValidator.Result result = RequestValidator.validate(body);
        String fingerprint = result.valid() ? Fingerprint.of(result.request()) : Fingerprint.of(body);
        String key = KAFKA_KEY + requestId;
        // Duplicates read at once (e.g. by two instances) run one after the other: the later one is a DUPLICATE.
        // The lock covers the conflict keys derived from this one too.
        Connection.lockIdempotencyKey(key);
        Optional<Connection> earlier = Connection.byIdempotencyKey(key);
        if (earlier.isPresent()) {
            if (earlier.get().fingerprint.equals(fingerprint)) {
                return Intake.DUPLICATE;
            }
            // One rejection per distinct body, so a redelivered conflicting record is a no-op too.
            String conflictKey = key + ":" + fingerprint;
            if (Connection.byIdempotencyKey(conflictKey).isPresent()) {
                return Intake.DUPLICATE;
            }
            reject(result.valid() ? result.request() : RequestValidator.partial(body), fingerprint, conflictKey,
                    requestId, List.of(new Violation("requestId", "already used with another request body (connection "
                            + earlier.get().id + ")")));
            return Intake.REJECTED;
        }
        if (!result.valid()) {
            reject(RequestValidator.partial(body), fingerprint, key, requestId, result.violations());
            return Intake.REJECTED;
        }
        ConnectionRequest request = result.request();
        if (Connection.aliasInUse(request.local().deploymentId(), request.alias())) {
            reject(request, fingerprint, key, requestId, aliasInUse(request).violations());
            return Intake.REJECTED;
        }
        Connection connection = Connection.requested(request, fingerprint, key, requestId);
        journal.schedule(connection, PendingWork.CHECKS);
        journal.created(connection);
        return Intake.ACCEPTED;
    }

    /**
     * The stored key of a REST {@code Idempotency-Key}: scoped by the team ({@code rest:<team>:<key>}; {@code rest::<key>}
     * for a caller without one), so one team's key never finds another team's connection. A team never contains
     * {@code :} ({@code Callers}), so no two scopes share a stored key.
     */
    static String restKey(String team, String key) {
        return REST_KEY + (team == null ? "" : team) + ":" + key;
    }

    @Transactional
    public ConnectionDocument get(String id, Caller caller) {
        return visible(Connection.findById(id), id, caller).document();
    }

    /** The connection if the caller may see it; else 404, the same answer as for an absent one. */
    private static Connection visible(Connection connection, String id, Caller caller) {
        if (connection == null || !caller.sees(connection.team)) {
            throw new ConnectionNotFoundException(id);
        }
        return connection;
    }

    /**
     * {@code DELETE}: a VERIFIED connection is disconnected (DISCONNECTING), one in flight or FAILED is compensated
     * (COMPENSATING; for FAILED the undo chain runs again and ends as the interrupted one would have: DISCONNECTED
     * after a disconnect, else COMPENSATED), one whose saga never started ends COMPENSATED at once.
     * A connection that is compensating, disconnecting or has ended otherwise is answered as it is: nothing new.
     */
    @Transactional
    public ConnectionDocument disconnect(String id, Caller caller) {
        Connection connection = visible(Connection.lockedById(id), id, caller);
        CompensationCause cause = connection.status == ConnectionStatus.VERIFIED || interruptedDisconnect(connection)
                ? CompensationCause.DISCONNECT : CompensationCause.CANCEL;
        if (compensations.start(connection, cause, null)) {
            journal.publish(connection);
        }
        return connection.document();
    }

    /** A FAILED disconnect, undone again, ends DISCONNECTED as the interrupted one would have. */
    private static boolean interruptedDisconnect(Connection connection) {
        return connection.status == ConnectionStatus.FAILED && connection.compensation()
                .map(compensation -> compensation.cause() == CompensationCause.DISCONNECT).orElse(false);
    }

    /** Newest first; a non-admin's only those of its team ({@code team} can only narrow that to nothing). */
    @Transactional
    public Page<ConnectionDocument> list(ConnectionStatus status, String localDeploymentId, String alias, String team,
            int page, int size, Caller caller) {
        List<String> where = new ArrayList<>();
        Parameters parameters = new Parameters();
        if (!caller.admin()) {
            where.add("team = :own");
            parameters.and("own", caller.team());
        }
        if (team != null) {
            where.add("team = :team");
            parameters.and("team", team);
        }
        if (status != null) {
            where.add("status = :status");
            parameters.and("status", status);
        }
        if (localDeploymentId != null) {
            where.add("localDeploymentId = :local");
            parameters.and("local", localDeploymentId);
        }
        if (alias != null) {
            where.add("alias = :alias");
            parameters.and("alias", alias);
        }
        Sort sort = Sort.descending("createdAt").and("id", Sort.Direction.Descending);
        PanacheQuery<Connection> query = where.isEmpty() ? Connection.findAll(sort)
                : Connection.find(String.join(" and ", where), sort, parameters);
        List<ConnectionDocument> items = query.page(io.quarkus.panache.common.Page.of(page, size)).list().stream()
                .map(Connection::document).toList();
        return new Page<>(items, page, size, query.count());
    }

    private void reject(ConnectionRequest request, String fingerprint, String key, String requestId,
            List<Violation> reasons) {
        Connection connection = Connection.requested(request, fingerprint, key, requestId);
        // Folded before the first flush: a rejected connection never reserves its alias.
        journal.emit(connection, new ConnectionRejected(Outbox.newEventId(), connection.id, Connection.now(), reasons));
        journal.publish(connection);
        LOG.infof("connection %s from request %s rejected: %s", connection.id, requestId, reasons);
    }

    private static ConflictException aliasInUse(ConnectionRequest request) {
        return new ConflictException(ConflictException.ALIAS_IN_USE,
                "Alias " + request.alias() + " is already used by a live connection of deployment "
                        + request.local().deploymentId() + ".",
                List.of(new Violation("alias", "already used on local deployment " + request.local().deploymentId())));
    }

    /**
     * The live-alias constraint hit by a concurrent request with another (or no) key: 409 as the check above. The
     * key's own constraint cannot fire here: requests with one key are serialised by its lock.
     */
    private static RuntimeException conflict(PersistenceException e, ConnectionRequest request) {
        String constraint = e instanceof ConstraintViolationException violation ? violation.getConstraintName()
                : e.getCause() instanceof ConstraintViolationException violation ? violation.getConstraintName() : null;
        if (constraint != null && constraint.contains(Connection.UK_LIVE_ALIAS)) {
            return aliasInUse(request);
        }
        return e;
    }
}
