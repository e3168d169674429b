package io.crosslink.trust.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crosslink.elastic.ElasticCallException;
import io.crosslink.events.Access;
import io.crosslink.events.Certainty;
import io.crosslink.events.CompensationCause;
import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.ConnectionEvent.CompensationStarted;
import io.crosslink.events.ConnectionEvent.ConnectionRequested;
import io.crosslink.events.ConnectionEvent.KeyCreated;
import io.crosslink.events.ConnectionEvent.KeystoreEntryRemovalFailed;
import io.crosslink.events.ConnectionEvent.KeystoreEntryRemoved;
import io.crosslink.events.ConnectionEvent.KeystoreUpdateFailed;
import io.crosslink.events.ConnectionEvent.KeystoreUpdated;
import io.crosslink.events.ConnectionEvent.RemoteRemoved;
import io.crosslink.events.ConnectionRequest;
import io.crosslink.events.DeploymentInfo;
import io.crosslink.events.DeploymentRef;
import io.crosslink.events.SecurityModel;
import io.crosslink.events.SigningAuthorityLeft;
import io.crosslink.events.StepFailure;
import io.crosslink.events.StrongIdentity;
import io.crosslink.events.UndoChain;
import io.crosslink.runtime.secret.SecretBox;
import io.crosslink.runtime.work.UndoBudget;
import io.crosslink.runtime.work.Work;
import io.crosslink.trust.domain.GrantStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Strong identity (issue #16) in the keystore step and its undo, without broker, database or Quarkus: R's
 * {@code cluster.remote.signing.certificate_authorities} held by {@link Fakes.SigningCaSettingsFake}, the consumers
 * recording and {@link Fakes.Worker} running the items ({@code write-keystore}, {@code grant-signing-ca},
 * {@code remove-keystore-entry}) as the dispatcher would. One test per path.
 */
class StrongIdentityTrustTest {
    static final String LOCAL_ID = "c0ffee00a1b2c3d4e5f60718293a4b5c";
    static final String REMOTE_ID = "0b5e55ed12345678abcdef0123456789";
    static final String CA = "internal_tls_ca.crt";
    static final String OTHER_CA = "partner_ca.crt";
    static final String ALIAS = "eu-logs";
    static final Instant T0 = Instant.parse("2026-11-28T12:00:00Z");
    static final String ENCODED_KEY = "VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==";

    final SecretBox box = SecretBox.fromBase64(SecretBox.newDataKey());
    final Fakes.Entries entries = new Fakes.Entries();
    final Fakes.RecordingInbox inbox = new Fakes.RecordingInbox();
    final Fakes.RecordingOutbox outbox = new Fakes.RecordingOutbox();
    final Fakes.Keystore keystore = new Fakes.Keystore();
    final Fakes.Queue queue = new Fakes.Queue();
    final TrustFakes.MovingClock clock = new TrustFakes.MovingClock();
    final CloudApiRetry retry = new CloudApiRetry(4, Duration.ofMillis(100), Duration.ofMillis(400));
    Fakes.SigningCa signingCa;
    Fakes.SigningCaSettingsFake remote;
    ApiKeyTrustService forward;
    SigningCaGrantService grants;
    KeystoreUndoService undo;
    Fakes.Worker worker;
    String connection;

    @BeforeEach
    void setUp() {
        signingCa = new Fakes.SigningCa(entries, outbox);
        remote = signingCa.settings;
        setUpServices();
        connection = UUID.randomUUID().toString();
    }

    private void setUpServices() {
        forward = new ApiKeyTrustService(new KeystoreLedger(entries, inbox, outbox, queue, signingCa.ledger),
                keystore, box, retry);
        grants = new SigningCaGrantService(signingCa.ledger, signingCa.writer, retry);
        undo = new KeystoreUndoService(new RemovalLedger(entries, inbox, outbox, queue, signingCa.grants), keystore,
                new UndoRetry(retry, new UndoBudget(Duration.ofSeconds(30), clock)), signingCa.ledger,
                signingCa.writer);
        worker = new Fakes.Worker(queue, clock, forward, grants, undo);
    }

    // --- the grant

    @Test
    void theConsumerRecordsTheGrantAndQueuesItOnR_thenTheItemAddsThePath_andKeystoreUpdatedWaitsForTheKey() {
        ConnectionRequested requested = requested(connection);
        forward.handle(requested);

        assertTrue(remote.calls.isEmpty(), "the consumer calls nothing");
        Work grant = single(queue.items);
        assertEquals(SigningCaGrantService.KIND, grant.kind());
        assertEquals(List.of("ess/" + REMOTE_ID), grant.deployments(), "the grant calls R only");
        assertEquals(GrantStatus.WANTED, signingCa.grants.rows.get(connection).status);

        worker.runAll();
        assertEquals(List.of(CA), remote.lists.get(REMOTE_ID));
        assertEquals(List.of("signing-ca:" + REMOTE_ID), signingCa.locks.held, "R's lock around the change");
        assertTrue(outbox.published.isEmpty(), "the keystore entry is not written yet");

        run(key(connection));

        assertEquals(ALIAS_SETTING, assertInstanceOf(KeystoreUpdated.class, single(outbox.published)).settingName());
    }

    @Test
    void keystoreWrittenFirst_keystoreUpdatedComesWithTheGrant_once() {
        remote.putFailures.add(new Fakes.Failure(unavailable(), false));
        forward.handle(requested(connection));
        forward.handle(key(connection));

        worker.runAll();

        assertEquals(2, worker.runsOf(SigningCaGrantService.KIND), "parked once, then granted");
        assertEquals(1, keystore.puts.size());
        assertEquals(List.of(CA), remote.lists.get(REMOTE_ID));
        assertInstanceOf(KeystoreUpdated.class, single(outbox.published));
        int writeRun = indexOfRun(ApiKeyTrustService.KIND);
        assertTrue(writeRun < worker.runs.size() - 1, "the keystore was written before the grant finished");
    }

    @Test
    void withoutStrongIdentity_nothingChanges() {
        forward.handle(plainRequested());
        forward.handle(key(connection));
        worker.runAll();

        assertTrue(remote.calls.isEmpty());
        assertTrue(signingCa.grants.rows.isEmpty());
        assertEquals(0, worker.runsOf(SigningCaGrantService.KIND));
        assertInstanceOf(KeystoreUpdated.class, single(outbox.published));
    }

    @Test
    void keptPaths_areWrittenFirst_andStayAfterTheLastRelease() {
        signingCa = new Fakes.SigningCa(entries, outbox, new KeptSigningAuthorities(List.of(OTHER_CA)));
        remote = signingCa.settings;
        setUpServices();

        granted(connection);
        assertEquals(List.of(OTHER_CA, CA), remote.lists.get(REMOTE_ID), "Crosslink writes the whole value");

        undo(connection);
        assertEquals(List.of(OTHER_CA), remote.lists.get(REMOTE_ID));
        assertTrue(assertInstanceOf(KeystoreEntryRemoved.class, last()).removed());
    }

    @Test
    void redeliveredEvents_changeNothing() {
        ConnectionRequested requested = requested(connection);
        KeyCreated key = key(connection);
        run(requested);
        run(key);
        run(requested);
        run(key);

        assertEquals(1, remote.puts());
        assertEquals(1, worker.runsOf(SigningCaGrantService.KIND));
        assertEquals(1, keystore.puts.size());
        assertInstanceOf(KeystoreUpdated.class, single(outbox.published));
    }

    @Test
    void grantRefused_oneKeystoreUpdateFailed_withElasticsReason_evenAfterTheKeyIsWritten() {
        remote.putFailures.add(new Fakes.Failure(ElasticCallException.fromResponse(403,
                "{\"error\":{\"type\":\"security_exception\",\"reason\":\"action [cluster:admin/settings/update] is "
                        + "unauthorized\"},\"status\":403}"), false));
        run(requested(connection));
        run(key(connection));

        KeystoreUpdateFailed failed = assertInstanceOf(KeystoreUpdateFailed.class, single(outbox.published));
        assertEquals("security_exception", failed.failure().type());
        assertEquals(1, keystore.puts.size(), "the keystore half still ran; nothing more is announced");
        assertEquals(GrantStatus.FAILED, signingCa.grants.rows.get(connection).status);
    }

    @Test
    void grantOutOfAttempts_oneKeystoreUpdateFailed_evenWhenTheKeystoreWriteFailsToo() {
        for (int i = 0; i < 4; i++) {
            remote.putFailures.add(new Fakes.Failure(unavailable(), false));
        }
        keystore.refusePut(ElasticCallException.fromResponse(400,
                "{\"errors\":[{\"code\":\"deployments.keystore.invalid\",\"message\":\"bad\"}]}"));
        forward.handle(requested(connection));
        forward.handle(key(connection));
        worker.runAll();

        assertEquals(4, worker.runsOf(SigningCaGrantService.KIND));
        KeystoreUpdateFailed failed = assertInstanceOf(KeystoreUpdateFailed.class, single(outbox.published));
        assertEquals("deployments.keystore.invalid", failed.failure().type(), "the first failure is the step's");
    }

    @Test
    void remoteWithoutConfiguredAccess_failsTheStepNamingIt() {
        remote.unconfigured.add(REMOTE_ID);
        run(key(connection));
        run(requested(connection));

        KeystoreUpdateFailed failed = assertInstanceOf(KeystoreUpdateFailed.class, single(outbox.published));
        assertEquals("deployment_not_configured", failed.failure().type());
        assertTrue(failed.failure().reason().contains(REMOTE_ID));
        assertFalse(failed.failure().retryable());
        assertEquals(1, worker.runsOf(SigningCaGrantService.KIND), "not retried");
    }

    // --- the undo

    @Test
    void undo_releasesTheGrantFirst_thenRemovesTheKeystoreEntry() {
        granted(connection);

        undo(connection);

        assertEquals(List.of(), remote.lists.get(REMOTE_ID));
        assertEquals(List.of("put " + REMOTE_ID + " []"), remote.calls.stream().filter(c -> c.startsWith("put"))
                .skip(1).toList());
        assertEquals(1, keystore.removals.size());
        KeystoreEntryRemoved removed = assertInstanceOf(KeystoreEntryRemoved.class, last());
        assertTrue(removed.removed());
        assertEquals(GrantStatus.RELEASED, signingCa.grants.rows.get(connection).status);
        Work item = queue.all.stream().filter(w -> w.kind().equals(KeystoreUndoService.KIND)).findFirst()
                .orElseThrow();
        assertEquals(List.of("ece/" + LOCAL_ID, "ess/" + REMOTE_ID), item.deployments());
    }

    @Test
    void twoConnectionsToOneRemote_theFirstUndoneKeepsThePath_theLastRemovesIt() {
        String other = UUID.randomUUID().toString();
        granted(connection);
        granted(other);
        assertEquals(2, remote.puts(), "each grant writes the whole list");
        assertEquals(List.of(CA), remote.lists.get(REMOTE_ID));

        undo(connection);
        assertEquals(List.of(CA), remote.lists.get(REMOTE_ID), "the other connection still needs it");
        assertEquals(2, remote.puts(), "a reference given up while another holds the path writes nothing");

        undo(other);
        assertEquals(List.of(), remote.lists.get(REMOTE_ID), "the last reference is gone");
        assertEquals(3, remote.puts());
        assertEquals(2, outbox.published.stream().filter(KeystoreEntryRemoved.class::isInstance).count());
    }

    @Test
    void aGrantStillWanted_keepsThePathListed() {
        String other = UUID.randomUUID().toString();
        granted(connection);
        remote.putFailures.add(new Fakes.Failure(unavailable(), false)); // the other's grant parks: still WANTED
        forward.handle(requested(other));

        undo(connection);

        assertEquals(List.of(CA), remote.lists.get(REMOTE_ID));
        assertEquals(List.of("put " + REMOTE_ID + " [" + CA + "]"), remote.calls.stream().distinct().toList(),
                "the undo wrote nothing; the other's grant wrote the path again");
        assertEquals(GrantStatus.GRANTED, signingCa.grants.rows.get(other).status);
        assertEquals(GrantStatus.RELEASED, signingCa.grants.rows.get(connection).status);
    }

    @Test
    void releaseRefused_possibleSigningAuthorityLeft_keystoreNotTried() {
        granted(connection);
        remote.putFailures.add(new Fakes.Failure(ElasticCallException.fromResponse(403,
                "{\"error\":{\"type\":\"security_exception\",\"reason\":\"unauthorized\"},\"status\":403}"), false));

        undo(connection);

        KeystoreEntryRemovalFailed failed = assertInstanceOf(KeystoreEntryRemovalFailed.class, last());
        assertEquals("security_exception", failed.failure().type());
        assertEquals(new SigningAuthorityLeft(REMOTE_ID, CA, Certainty.POSSIBLE), failed.signingAuthority(),
                "possible, never confirmed: Elasticsearch does not let R's list be read");
        assertEquals(Certainty.POSSIBLE, failed.certainty());
        assertTrue(keystore.removals.isEmpty(), "the keystore entry is not tried");
        assertEquals(List.of(CA), remote.lists.get(REMOTE_ID));
        assertEquals(GrantStatus.GRANTED, signingCa.grants.rows.get(connection).status, "still held: written again");
    }

    @Test
    void releaseTransientUntilTheDeadline_possibleSigningAuthorityLeft() {
        granted(connection);
        for (int i = 0; i < 1_000; i++) {
            remote.putFailures.add(new Fakes.Failure(unavailable(), false));
        }
        UndoChain chain = new UndoChain(UUID.randomUUID().toString(), clock.instant().plus(Duration.ofMinutes(1)));

        undo.compensationStarted(started(connection));
        undo.removeEntry(new RemoteRemoved(UUID.randomUUID().toString(), connection, clock.instant(), ALIAS, true,
                null, chain));
        worker.runAll();

        assertTrue(worker.parks().size() > 10, "retried until the deadline less the margin");
        KeystoreEntryRemovalFailed failed = assertInstanceOf(KeystoreEntryRemovalFailed.class, last());
        assertEquals(new SigningAuthorityLeft(REMOTE_ID, CA, Certainty.POSSIBLE), failed.signingAuthority());
        assertEquals(chain, failed.chain());
        assertTrue(keystore.removals.isEmpty());
    }

    @Test
    void releaseAnswerLost_theNextRunWritesTheSameList_andGoesOnToTheKeystore() {
        granted(connection);
        remote.putFailures.add(new Fakes.Failure(unavailable(), true));

        undo(connection);

        assertEquals(List.of(), remote.lists.get(REMOTE_ID));
        assertEquals(List.of("put " + REMOTE_ID + " [" + CA + "]", "put " + REMOTE_ID + " []",
                "put " + REMOTE_ID + " []"), remote.calls, "the grant's PUT, the lost one, the same again");
        assertEquals(1, worker.parks().size());
        assertTrue(assertInstanceOf(KeystoreEntryRemoved.class, last()).removed());
        assertEquals(1, keystore.removals.size());
    }

    @Test
    void releaseSucceeded_keystoreRefused_failureWithoutSigningAuthority() {
        granted(connection);
        keystore.refuseRemoval(ElasticCallException.fromResponse(400,
                "{\"errors\":[{\"code\":\"deployments.keystore.invalid\",\"message\":\"bad\"}]}"));

        undo(connection);

        KeystoreEntryRemovalFailed failed = assertInstanceOf(KeystoreEntryRemovalFailed.class, last());
        assertNull(failed.signingAuthority());
        assertEquals(List.of(), remote.lists.get(REMOTE_ID));
    }

    @Test
    void undoRunAgain_afterAFailedRelease_removesThePath_andIsIdempotentAfterwards() {
        granted(connection);
        remote.putFailures.add(new Fakes.Failure(ElasticCallException.fromResponse(403,
                "{\"error\":{\"type\":\"security_exception\",\"reason\":\"unauthorized\"},\"status\":403}"), false));
        undo(connection);
        assertInstanceOf(KeystoreEntryRemovalFailed.class, last());

        undo(connection); // e.g. DELETE of the FAILED connection
        assertEquals(List.of(), remote.lists.get(REMOTE_ID));
        assertTrue(assertInstanceOf(KeystoreEntryRemoved.class, last()).removed());
        long puts = remote.puts();

        undo(connection);
        assertEquals(puts, remote.puts(), "nothing left to change on R");
        assertTrue(assertInstanceOf(KeystoreEntryRemoved.class, last()).removed());
    }

    @Test
    void redeliveredUndoTrigger_changesNothing() {
        granted(connection);
        undo.compensationStarted(started(connection));
        RemoteRemoved trigger = remoteRemoved(connection);
        undo.removeEntry(trigger);
        worker.runAll();
        int published = outbox.published.size();
        long calls = remote.calls.size();

        undo.removeEntry(trigger);
        worker.runAll();

        assertEquals(published, outbox.published.size());
        assertEquals(calls, remote.calls.size());
    }

    @Test
    void compensationBeforeTheGrantRan_nothingOnR_andTheUndoCallsNothingThere() {
        forward.handle(requested(connection));
        undo.compensationStarted(started(connection));
        worker.runAll();
        assertEquals(GrantStatus.ABANDONED, signingCa.grants.rows.get(connection).status);

        undo(connection);

        assertTrue(remote.calls.isEmpty(), "never written, nothing to remove: " + remote.calls);
        assertFalse(assertInstanceOf(KeystoreEntryRemoved.class, single(outbox.published)).removed());
    }

    @Test
    void aGrantWhosePutMayHaveApplied_isRemovedByTheUndo() {
        for (int i = 0; i < 3; i++) {
            remote.putFailures.add(new Fakes.Failure(unavailable(), false));
        }
        remote.putFailures.add(new Fakes.Failure(unavailable(), true)); // the last run's PUT applied, answer lost
        run(requested(connection));
        run(key(connection));
        assertInstanceOf(KeystoreUpdateFailed.class, single(outbox.published));
        assertEquals(List.of(CA), remote.lists.get(REMOTE_ID));

        undo(connection);

        assertEquals(List.of(), remote.lists.get(REMOTE_ID), "Crosslink may have written it: written without");
        assertTrue(assertInstanceOf(KeystoreEntryRemoved.class, last()).removed());
    }

    // --- helpers

    static final String ALIAS_SETTING = "cluster.remote.eu-logs.credentials";

    /** The connection's keystore step done with strong identity. */
    private void granted(String id) {
        run(requested(id));
        run(key(id));
        assertInstanceOf(KeystoreUpdated.class, last());
    }

    private void undo(String id) {
        undo.compensationStarted(started(id));
        undo.removeEntry(remoteRemoved(id));
        worker.runAll();
    }

    private void run(ConnectionEvent event) {
        forward.handle(event);
        worker.runAll();
    }

    private int indexOfRun(String kind) {
        for (int i = 0; i < worker.runs.size(); i++) {
            if (worker.runs.get(i).work().kind().equals(kind)) {
                return i;
            }
        }
        return -1;
    }

    private ConnectionEvent last() {
        assertFalse(outbox.published.isEmpty(), "nothing published");
        return outbox.published.get(outbox.published.size() - 1);
    }

    private static <T> T single(List<T> items) {
        assertEquals(1, items.size(), () -> "items: " + items);
        return items.get(0);
    }

    private static RuntimeException unavailable() {
        return ElasticCallException.fromResponse(503, "{\"error\":{\"type\":\"unavailable\",\"reason\":\"later\"}}");
    }

    private ConnectionRequested requested(String id) {
        return requested(id, new StrongIdentity(StrongIdentity.patternFor("e5f60718293a4b5cc0ffee00a1b2c3d4"),
                "node.crt", "node.key", CA), true);
    }

    private ConnectionRequested plainRequested() {
        return requested(connection, null, null);
    }

    private ConnectionRequested requested(String id, StrongIdentity identity, Boolean certificateIdentity) {
        ConnectionRequest request = new ConnectionRequest(ALIAS, SecurityModel.API_KEY,
                new DeploymentRef("ece", LOCAL_ID, null), new DeploymentRef("ess", REMOTE_ID, null),
                new Access(List.of(new Access.Search(List.of("demo-*"), null, null, null)), null), true, null, null,
                null, certificateIdentity);
        return new ConnectionRequested(UUID.randomUUID().toString(), id, T0, request,
                new DeploymentInfo("ece", LOCAL_ID, "main-elasticsearch", "e5f60718293a4b5cc0ffee00a1b2c3d4",
                        "127.0.10.1", "9.5.4"),
                new DeploymentInfo("ess", REMOTE_ID, "main-elasticsearch", "abcdef01234567890b5e55ed12345678",
                        "127.0.10.2", "9.5.4"), identity);
    }

    private KeyCreated key(String id) {
        return new KeyCreated(UUID.randomUUID().toString(), id, T0, "key-" + id, "crosslink-" + id,
                box.seal(ENCODED_KEY, id));
    }

    private CompensationStarted started(String id) {
        return new CompensationStarted(UUID.randomUUID().toString(), id, clock.instant(), CompensationCause.FAILURE,
                new StepFailure("verification_failed", "no search through the remote", null, false));
    }

    private RemoteRemoved remoteRemoved(String id) {
        return new RemoteRemoved(UUID.randomUUID().toString(), id, clock.instant(), ALIAS, true);
    }
}
