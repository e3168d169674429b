package io.crosslink.connect.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.crosslink.connect.domain.Connection;
import io.crosslink.connect.domain.Fingerprint;
import io.crosslink.connect.domain.PendingWork;
import io.crosslink.connect.policy.AccessPolicy;
import io.crosslink.connect.policy.PolicyHolder;
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
 * exactly as an absent connection. A request is made as its caller's team and judged by the access policy in force
 * ({@link AccessPolicy}): REST answers its refusals 403, the topic makes them REJECTED connections. An admin whose
 * token names no team is the break-glass caller: no policy applies to it.
 */
@ApplicationScoped
public class ConnectionService {
    private static final Logger LOG = Logger.getLogger(ConnectionService.class);
    static final String REST_KEY = "rest:";
    static final String KAFKA_KEY = "kafka:";
    /** Records refused before any team was known (no valid token): apart from every team's requestIds. */
    static final String KAFKA_REFUSED_KEY = "kafka-refused:";

    private final ConnectionJournal journal;
    private final Compensations compensations;
    private final PolicyHolder policies;

    public ConnectionService(ConnectionJournal journal, Compensations compensations, PolicyHolder policies) {
        this.journal = journal;
        this.compensations = compensations;
        this.policies = policies;
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
     * A REST request of {@code caller} (roles checked by the caller of this method): 400 on violations, 403 when the
     * access policy refuses it (or the team has as many live connections as it may), 409 on a taken alias or an
     * Idempotency-Key its team used with another body.
     */
    @Transactional
    public Submission submit(JsonNode body, Optional<String> idempotencyKey, Caller caller) {
        RequestValidator.Result result = RequestValidator.validate(body);
        if (!result.valid()) {
            throw new InvalidRequestException("The request has invalid fields.", result.violations());
        }
        ConnectionRequest request = result.request();
        AccessPolicy policy = policies.current();
        List<Violation> refused = refusals(policy, caller, request);
        if (!refused.isEmpty()) {
            throw new AccessDeniedException("The access policy does not allow this request.", refused);
        }
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
        Optional<Violation> limit = liveLimit(policy, caller);
        if (limit.isPresent()) {
            throw new AccessDeniedException("The team has as many live connections as the access policy allows.",
                    List.of(limit.get()));
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
     * A well-formed record of the connection-requests topic whose token names {@code caller} (verified, roles checked).
     * Invalid requests, policy refusals, taken aliases and a requestId the team reused with another body become
     * REJECTED connections of the team; the same requestId and body again is a no-op.
     */
    @Transactional
    public Intake submitFromTopic(String requestId, JsonNode body, Caller caller) {
        RequestValidator.Result result = RequestValidator.validate(body);
        String fingerprint = result.valid() ? Fingerprint.of(result.request()) : Fingerprint.of(body);
        String key = kafkaKey(caller.team(), requestId);
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
                            + earlier.get().id + ")")), caller);
            return Intake.REJECTED;
        }
        if (!result.valid()) {
            reject(RequestValidator.partial(body), fingerprint, key, requestId, result.violations(), caller);
            return Intake.REJECTED;
        }
        ConnectionRequest request = result.request();
        AccessPolicy policy = policies.current();
        List<Violation> refused = refusals(policy, caller, request);
        if (!refused.isEmpty()) {
            reject(request, fingerprint, key, requestId, refused, caller);
            return Intake.REJECTED;
        }
        if (Connection.aliasInUse(request.local().deploymentId(), request.alias())) {
            reject(request, fingerprint, key, requestId, aliasInUse(request).violations(), caller);
            return Intake.REJECTED;
        }
        Optional<Violation> limit = liveLimit(policy, caller);
        if (limit.isPresent()) {
            reject(request, fingerprint, key, requestId, List.of(limit.get()), caller);
            return Intake.REJECTED;
        }
        Connection connection = Connection.requested(request, fingerprint, key, requestId);
        connection.team = caller.team();
        connection.subject = caller.subject();
        journal.schedule(connection, PendingWork.CHECKS);
        journal.created(connection);
        return Intake.ACCEPTED;
    }

    /**
     * A well-formed record of the connection-requests topic without a caller: its token is missing or not valid, or
     * lacks a role or the team ({@code reasons} say which, never quoting the token). It becomes a REJECTED connection
     * of no team (only admins see it); the same requestId and body refused again is a no-op. It is kept apart from
     * every team's requestIds, so it can never stand in the way of the same requestId sent with a valid token.
     */
    @Transactional
    public Intake refuseFromTopic(String requestId, JsonNode body, List<Violation> reasons) {
        RequestValidator.Result result = RequestValidator.validate(body);
        String fingerprint = result.valid() ? Fingerprint.of(result.request()) : Fingerprint.of(body);
        String key = KAFKA_REFUSED_KEY + requestId + ":" + fingerprint;
        Connection.lockIdempotencyKey(key);
        if (Connection.byIdempotencyKey(key).isPresent()) {
            return Intake.DUPLICATE;
        }
        reject(result.valid() ? result.request() : RequestValidator.partial(body), fingerprint, key, requestId, reasons,
                null);
        return Intake.REJECTED;
    }

    /** The policy's refusals of {@code caller}'s request: none for the break-glass caller (an admin of no team). */
    private static List<Violation> refusals(AccessPolicy policy, Caller caller, ConnectionRequest request) {
        return caller.breakGlass() ? List.of() : policy.check(caller.team(), request);
    }

    /**
     * The team's live-connection limit, counted under the team's lock (taken after the key's, like every caller here),
     * so concurrent requests of one team, on any instance, never exceed it. None for the break-glass caller.
     */
    private static Optional<Violation> liveLimit(AccessPolicy policy, Caller caller) {
        if (caller.breakGlass()) {
            return Optional.empty();
        }
        Connection.lockTeam(caller.team());
        return policy.liveLimit(caller.team(), Connection.liveCount(caller.team()));
    }

    /**
     * The stored key of a topic {@code requestId}: scoped by the team as REST keys are ({@code kafka:<team>:<requestId>},
     * {@code kafka::<requestId>} for an admin of no team).
     */
    static String kafkaKey(String team, String requestId) {
        return KAFKA_KEY + (team == null ? "" : team) + ":" + requestId;
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

    /** A REJECTED connection of {@code caller}'s team (none when null). */
    private void reject(ConnectionRequest request, String fingerprint, String key, String requestId,
            List<Violation> reasons, Caller caller) {
        Connection connection = Connection.requested(request, fingerprint, key, requestId);
        if (caller != null) {
            connection.team = caller.team();
            connection.subject = caller.subject();
        }
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
