package io.crosslink.connect.domain;

import com.fasterxml.jackson.core.type.TypeReference;
import io.crosslink.events.ConnectionDocument;
import io.crosslink.events.ConnectionDocument.TimelineEntry;
import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.ConnectionRequest;
import io.crosslink.events.ConnectionStatus;
import io.crosslink.events.DeploymentInfo;
import io.crosslink.events.EventCodec;
import io.crosslink.events.SecurityModel;
import io.crosslink.events.StrongIdentity;
import io.crosslink.events.TrustEdit;
import io.crosslink.events.Violation;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;
import jakarta.persistence.Version;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A connection as connect-service keeps it. The request, timeline, reasons and the deployment facts read at
 * acceptance are JSON text (they are only ever read whole). Requests hold no secret.
 */
@Entity
@Table(name = "connections",
        uniqueConstraints = {
                @UniqueConstraint(name = Connection.UK_IDEMPOTENCY_KEY, columnNames = "idempotency_key"),
                @UniqueConstraint(name = Connection.UK_LIVE_ALIAS, columnNames = "live_alias") },
        indexes = {
                @Index(name = "ix_connections_local_alias", columnList = "local_deployment_id, alias"),
                @Index(name = "ix_connections_status", columnList = "status") })
public class Connection extends PanacheEntityBase {
    public static final String UK_IDEMPOTENCY_KEY = "uk_connections_idempotency_key";
    public static final String UK_LIVE_ALIAS = "uk_connections_live_alias";

    private static final TypeReference<List<TimelineEntry>> TIMELINE = new TypeReference<>() {
    };
    private static final TypeReference<List<Violation>> VIOLATIONS = new TypeReference<>() {
    };
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };
    private static final TypeReference<List<SavedRole>> SAVED_ROLES = new TypeReference<>() {
    };
    private static final TypeReference<List<TrustEdit>> TRUST_EDITS = new TypeReference<>() {
    };

    @Id
    @Column(length = 36)
    public String id;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 32)
    public ConnectionStatus status;

    /** Null only for a rejected request that had no readable alias. */
    @Column(length = 255)
    public String alias;

    @Column(name = "local_deployment_id", length = 255)
    public String localDeploymentId;

    /**
     * {@code <local deployment id>/<alias>} while the connection is live, null otherwise: the unique
     * constraint makes an alias unique per local deployment among live connections, even under races.
     */
    @Column(name = "live_alias", length = 520)
    public String liveAlias;

    /**
     * {@code rest:<team>:<Idempotency-Key>} ({@code rest::<key>} without a team), {@code kafka:<team>:<requestId>}
     * ({@code kafka::<requestId>} without a team) or {@code kafka-refused:<requestId>:<fingerprint>} (a record refused
     * before a team was known); unique.
     */
    @Column(name = "idempotency_key", length = 600)
    public String idempotencyKey;

    /** The {@code requestId} of a request from the {@code connection-requests} topic. */
    @Column(name = "request_id", length = 255)
    public String requestId;

    /**
     * The owning team: the requester's {@code crosslink_team}. Null for a connection of no team (one made before teams,
     * an admin's without a team, a Kafka record refused for its token): only admins see those.
     */
    @Column(name = "team", length = 255)
    public String team;

    /** Who requested it: the {@code sub} of the requester's token; null when no token was asked. */
    @Column(name = "subject", length = 1024)
    public String subject;

    /** SHA-256 of the canonical request JSON: "same body" for idempotency. */
    @Column(nullable = false, length = 64)
    public String fingerprint;

    @Column(name = "request_json", nullable = false, columnDefinition = "text")
    public String requestJson;

    @Column(name = "timeline_json", nullable = false, columnDefinition = "text")
    public String timelineJson = "[]";

    @Column(name = "reasons_json", columnDefinition = "text")
    public String reasonsJson;

    /** L and R as the Cloud API described them when ConnectionRequested was emitted. */
    @Column(name = "local_info_json", columnDefinition = "text")
    public String localInfoJson;

    @Column(name = "remote_info_json", columnDefinition = "text")
    public String remoteInfoJson;

    /** Strong identity as ConnectionRequested carried it; null without. */
    @Column(name = "strong_identity_json", columnDefinition = "text")
    public String strongIdentityJson;

    /** The current (or last) undo chain: its cause and what each undo reported. Null before any. */
    @Column(name = "compensation_json", columnDefinition = "text")
    public String compensationJson;

    /**
     * A registration of the remote on L was attempted (its request may have reached L): the undo must remove
     * the remote. Set before the request is sent, in a committed transaction.
     */
    @Column(name = "remote_touched", nullable = false, columnDefinition = "boolean not null default false")
    public boolean remoteTouched;

    /** Ids of the API keys KeyCreated reported on R (JSON list), to name them if their invalidation fails. */
    @Column(name = "key_ids_json", columnDefinition = "text")
    public String keyIdsJson;

    /**
     * The local roles the saga wrote or is about to write on L, each with its definition before the saga's first
     * write (JSON list of {@link SavedRole}); saved before the role is written, so the undo restores or deletes it.
     */
    @Column(name = "roles_json", columnDefinition = "text")
    public String rolesJson;

    /**
     * Certificate model: what TrustUpdated reported trust-service changed in each deployment's trust settings (JSON
     * list of {@link TrustEdit}, changes only), to name the {@code trust_entry} left over when the trust undo fails.
     */
    @Column(name = "trust_edits_json", columnDefinition = "text")
    public String trustEditsJson;

    @Enumerated(EnumType.STRING)
    @Column(length = 32)
    public PendingWork pending;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** When the current undo chain started (CompensationStarted): the undo deadline counts from it. */
    @Column(name = "undo_started_at")
    public Instant undoStartedAt;

    @Version
    public long version;

    /** A new connection in REQUESTED, not yet persisted. */
    public static Connection requested(ConnectionRequest request, String fingerprint, String idempotencyKey,
            String requestId) {
        Connection connection = new Connection();
        connection.id = UUID.randomUUID().toString();
        connection.status = ConnectionStatus.REQUESTED;
        connection.alias = request.alias();
        connection.localDeploymentId = request.local() == null ? null : request.local().deploymentId();
        connection.idempotencyKey = idempotencyKey;
        connection.requestId = requestId;
        connection.fingerprint = fingerprint;
        connection.requestJson = EventCodec.encode(request);
        connection.createdAt = now();
        connection.updatedAt = connection.createdAt;
        connection.refreshLiveAlias();
        return connection;
    }

    public static Optional<Connection> byIdempotencyKey(String key) {
        return find("idempotencyKey", key).firstResultOptional();
    }

    /**
     * Waits for and takes a transaction-level PostgreSQL advisory lock on an idempotency key, released when the
     * transaction ends (on every instance sharing the database). Taken before {@link #byIdempotencyKey}: under READ
     * COMMITTED each later statement sees what an earlier holder committed, so concurrent submissions of one key
     * find the first one's connection instead of racing it to the unique constraint. A hash collision of two keys
     * only makes them wait for each other.
     */
    public static void lockIdempotencyKey(String key) {
        getEntityManager().createNativeQuery("select 1 from pg_advisory_xact_lock(:namespace, hashtext(:key))")
                .setParameter("namespace", IDEMPOTENCY_LOCK_NAMESPACE)
                .setParameter("key", key)
                .getSingleResult();
    }

    /** First key of the idempotency lock ("idem"): apart from the service's other advisory locks. */
    private static final int IDEMPOTENCY_LOCK_NAMESPACE = 0x6964656d;
    /** First key of the team lock ("team"). */
    private static final int TEAM_LOCK_NAMESPACE = 0x7465616d;
    /** What a team's live-connection limit does not count: the ends that hold nothing on Elastic, and FAILED. */
    private static final List<ConnectionStatus> NOT_COUNTED = List.of(ConnectionStatus.REJECTED,
            ConnectionStatus.COMPENSATED, ConnectionStatus.DISCONNECTED, ConnectionStatus.FAILED);

    /**
     * Waits for and takes a transaction-level advisory lock on a team (as {@link #lockIdempotencyKey}, always taken
     * after it): the team's new connections are counted against its limit one at a time, on every instance.
     */
    public static void lockTeam(String team) {
        getEntityManager().createNativeQuery("select 1 from pg_advisory_xact_lock(:namespace, hashtext(:team))")
                .setParameter("namespace", TEAM_LOCK_NAMESPACE)
                .setParameter("team", team)
                .getSingleResult();
    }

    /** The team's connections counted against its live-connection limit: all but REJECTED, COMPENSATED, DISCONNECTED, FAILED. */
    public static long liveCount(String team) {
        return count("team = ?1 and status not in ?2", team, NOT_COUNTED);
    }

    public static Connection lockedById(String id) {
        return findById(id, LockModeType.PESSIMISTIC_WRITE);
    }

    /** Whether a live connection already uses this alias on this local deployment. */
    public static boolean aliasInUse(String localDeploymentId, String alias) {
        return count("liveAlias", liveAliasKey(localDeploymentId, alias)) > 0;
    }

    /** Ids of connections in flight that were accepted at or before {@code acceptedBefore}, oldest first. */
    public static List<String> overdue(Instant acceptedBefore, int limit) {
        return getEntityManager().createQuery("select c.id from Connection c where c.status in :inFlight"
                        + " and c.createdAt <= :before order by c.createdAt", String.class)
                .setParameter("inFlight", IN_FLIGHT)
                .setParameter("before", acceptedBefore)
                .setMaxResults(limit)
                .getResultList();
    }

    /** Connections whose undo chain started before {@code startedBefore} and is still running, oldest first. */
    public static List<String> undoOverdue(Instant startedBefore, int limit) {
        return getEntityManager().createQuery("select c.id from Connection c where c.status in :undoing"
                        + " and c.undoStartedAt <= :before order by c.undoStartedAt", String.class)
                .setParameter("undoing", List.of(ConnectionStatus.COMPENSATING, ConnectionStatus.DISCONNECTING))
                .setParameter("before", startedBefore)
                .setMaxResults(limit)
                .getResultList();
    }

    private static final List<ConnectionStatus> IN_FLIGHT = List.of(ConnectionStatus.REQUESTED,
            ConnectionStatus.KEY_CREATED, ConnectionStatus.KEYSTORE_UPDATED, ConnectionStatus.TRUST_UPDATED,
            ConnectionStatus.REMOTE_CONNECTED);

    public static String liveAliasKey(String localDeploymentId, String alias) {
        return localDeploymentId + "/" + alias;
    }

    /**
     * Folds an event: status, timeline, undo chain, reasons, key ids; clears the alias reservation once no
     * longer live.
     */
    public StatusFolding.Folded apply(ConnectionEvent event) {
        StatusFolding.Folded folded = StatusFolding.fold(state(), event);
        status = folded.status();
        timelineJson = EventCodec.encode(folded.timeline());
        compensationJson = folded.compensation() == null ? null : EventCodec.encode(folded.compensation());
        if (event instanceof ConnectionEvent.ConnectionRejected rejected && folded.status() == ConnectionStatus.REJECTED) {
            reasonsJson = EventCodec.encode(rejected.reasons());
        }
        if (event instanceof ConnectionEvent.KeyCreated created && !keyIds().contains(created.keyId())) {
            List<String> ids = new java.util.ArrayList<>(keyIds());
            ids.add(created.keyId());
            keyIdsJson = EventCodec.encode(ids);
        }
        if (event instanceof ConnectionEvent.TrustUpdated updated) {
            recordTrustEdits(updated.edits());
        }
        if (event instanceof ConnectionEvent.TrustUpdateFailed failed) {
            // What the failed step changed, so a failed undo names exactly those entries.
            recordTrustEdits(failed.edits());
        }
        updatedAt = now();
        refreshLiveAlias();
        return folded;
    }

    public StatusFolding.State state() {
        return new StatusFolding.State(status, timeline(), compensation().orElse(null), sagaStarted(), securityModel());
    }

    /** The request's security model (API key for a request too broken to name one). */
    public SecurityModel securityModel() {
        SecurityModel model = request().securityModel();
        return model == null ? SecurityModel.API_KEY : model;
    }

    public boolean certificateModel() {
        return securityModel() == SecurityModel.TLS_CERTIFICATE;
    }

    public List<TrustEdit> trustEdits() {
        return trustEditsJson == null ? List.of() : read(trustEditsJson, TRUST_EDITS);
    }

    /** Adds the edits that changed something, once per deployment, entry and scope (a redelivery adds nothing). */
    private void recordTrustEdits(List<TrustEdit> edits) {
        List<TrustEdit> all = new java.util.ArrayList<>(trustEdits());
        for (TrustEdit edit : edits == null ? List.<TrustEdit>of() : edits) {
            boolean known = all.stream().anyMatch(e -> e.deploymentId().equals(edit.deploymentId())
                    && e.entry().equals(edit.entry()) && e.scopeId().equals(edit.scopeId()));
            if (!edit.noop() && !known) {
                all.add(edit);
            }
        }
        trustEditsJson = all.isEmpty() ? null : EventCodec.encode(all);
    }

    /** Whether ConnectionRequested was emitted: the other services may have acted on it. */
    public boolean sagaStarted() {
        return localInfoJson != null;
    }

    public Optional<Compensation> compensation() {
        return Optional.ofNullable(compensationJson).map(json -> EventCodec.read(json, Compensation.class));
    }

    public List<String> keyIds() {
        return keyIdsJson == null ? List.of() : read(keyIdsJson, STRINGS);
    }

    public List<SavedRole> savedRoles() {
        return rolesJson == null ? List.of() : read(rolesJson, SAVED_ROLES);
    }

    public Optional<SavedRole> savedRole(String name) {
        return savedRoles().stream().filter(role -> role.name().equals(name)).findFirst();
    }

    /** Keeps the role's previous definition, unless the saga saved one already (then that one stays). */
    public void saveRole(SavedRole role) {
        if (savedRole(role.name()).isEmpty()) {
            List<SavedRole> roles = new java.util.ArrayList<>(savedRoles());
            roles.add(role);
            rolesJson = EventCodec.encode(roles);
        }
    }

    /** Replaces the saved roles (e.g. marked undone). */
    public void savedRoles(List<SavedRole> roles) {
        rolesJson = roles.isEmpty() ? null : EventCodec.encode(roles);
    }

    /** Marks the step the connection waits for; its work item ({@code ConnectionJournal#schedule}) runs it. */
    public void schedule(PendingWork work) {
        pending = work;
    }

    public void done() {
        pending = null;
    }

    /**
     * The request as stored: validated at intake, except a REJECTED connection's, kept as far as it could be read (a
     * Kafka request may lack any field), so it is read without insisting on required fields.
     */
    public ConnectionRequest request() {
        return EventCodec.requestAsRead(readTree(requestJson));
    }

    private static com.fasterxml.jackson.databind.JsonNode readTree(String json) {
        try {
            return EventCodec.mapper().readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("stored request is not JSON", e);
        }
    }

    public List<TimelineEntry> timeline() {
        return read(timelineJson, TIMELINE);
    }

    public List<Violation> reasons() {
        return reasonsJson == null ? List.of() : read(reasonsJson, VIOLATIONS);
    }

    public void deployments(DeploymentInfo local, DeploymentInfo remote) {
        localInfoJson = EventCodec.encode(local);
        remoteInfoJson = EventCodec.encode(remote);
    }

    public void strongIdentity(StrongIdentity identity) {
        strongIdentityJson = identity == null ? null : EventCodec.encode(identity);
    }

    public Optional<StrongIdentity> strongIdentity() {
        return Optional.ofNullable(strongIdentityJson).map(json -> EventCodec.read(json, StrongIdentity.class));
    }

    public Optional<DeploymentInfo> localInfo() {
        return Optional.ofNullable(localInfoJson).map(json -> EventCodec.read(json, DeploymentInfo.class));
    }

    public Optional<DeploymentInfo> remoteInfo() {
        return Optional.ofNullable(remoteInfoJson).map(json -> EventCodec.read(json, DeploymentInfo.class));
    }

    public ConnectionDocument document() {
        return ConnectionDocuments.of(this);
    }

    /** Live: anything but REJECTED, COMPENSATED and DISCONNECTED, which free the alias. */
    public static boolean live(ConnectionStatus status) {
        return status != ConnectionStatus.REJECTED && status != ConnectionStatus.COMPENSATED
                && status != ConnectionStatus.DISCONNECTED;
    }

    private void refreshLiveAlias() {
        liveAlias = live(status) && alias != null && localDeploymentId != null
                ? liveAliasKey(localDeploymentId, alias) : null;
    }

    /** PostgreSQL keeps microseconds: so does every timestamp here, or a re-read document would differ. */
    public static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return EventCodec.mapper().readValue(json, type);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("stored JSON of connection is unreadable: " + e.getClass().getSimpleName());
        }
    }
}
