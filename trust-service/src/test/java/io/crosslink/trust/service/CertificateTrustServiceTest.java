package io.crosslink.trust.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crosslink.events.CompensationCause;
import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.ConnectionEvent.CompensationStarted;
import io.crosslink.events.ConnectionEvent.ConnectionRequested;
import io.crosslink.events.ConnectionEvent.RemoteRemovalFailed;
import io.crosslink.events.ConnectionEvent.RemoteRemoved;
import io.crosslink.events.Certainty;
import io.crosslink.events.ConnectionEvent.TrustRemovalFailed;
import io.crosslink.events.ConnectionEvent.TrustRemoved;
import io.crosslink.events.ConnectionEvent.TrustUpdateFailed;
import io.crosslink.events.ConnectionEvent.TrustUpdated;
import io.crosslink.events.ConnectionRequest;
import io.crosslink.events.DeploymentInfo;
import io.crosslink.events.DeploymentRef;
import io.crosslink.events.Registration;
import io.crosslink.events.StepFailure;
import io.crosslink.events.TrustEdit;
import io.crosslink.events.TrustRequest;
import io.crosslink.events.SecurityModel;
import io.crosslink.events.UndoChain;
import io.crosslink.runtime.work.UndoBudget;
import io.crosslink.runtime.work.Work;
import io.crosslink.runtime.work.WorkResult;
import io.crosslink.events.EventCodec;
import io.crosslink.elastic.ElasticCallException;
import io.crosslink.elastic.TransientElasticCallException;
import io.crosslink.trust.domain.Certificates;
import io.crosslink.trust.domain.TrustEditState;
import io.crosslink.trust.domain.TrustLink;
import io.crosslink.trust.domain.TrustStatus;
import io.crosslink.trust.domain.UndoStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The certificate-model trust step and its undo without broker, database or Quarkus: in-memory rows, inbox,
 * outbox, work queue and a Cloud API that keeps each deployment's trust, version and pending plan; the consumers
 * record and {@link Fakes.Worker} runs the {@code update-trust} / {@code remove-trust} work items as the dispatcher
 * would, moving the clock to each parked item's next run. One test per path.
 */
class CertificateTrustServiceTest {
    static final String LOCAL_ID = "c0ffee00a1b2c3d4e5f60718293a4b5c";
    static final String REMOTE_ID = "0b5e55ed12345678abcdef0123456789";
    static final String PEER_ID = "5eed0000111122223333444455556666";
    static final String LOCAL_CLUSTER = "e5f60718293a4b5cc0ffee00a1b2c3d4";
    static final String REMOTE_CLUSTER = "abcdef01234567890b5e55ed12345678";
    static final String PEER_CLUSTER = "99990000aaaabbbbccccddddeeeeffff";
    static final String ECE_ACCOUNT = "b7c2e0f4a9d14e6c8f3a5d2e1c0b9a87";
    static final String ESS_ORG = "4285051796";
    static final String LOCAL_CA = pem("ece-local-ca.pem");
    static final String REMOTE_CA = pem("ess-remote-ca.pem");
    static final String OTHER_CA = pem("other-ca.pem");
    static final Duration POLL = Duration.ofSeconds(2);
    static final Duration REPORT_MARGIN = Duration.ofSeconds(30);

    static final DeploymentInfo LOCAL = new DeploymentInfo("ece", LOCAL_ID, "main-elasticsearch", LOCAL_CLUSTER,
            "127.0.10.1", "8.19.21", "ECE", ECE_ACCOUNT, 9300);
    static final DeploymentInfo REMOTE = new DeploymentInfo("ess", REMOTE_ID, "main-elasticsearch", REMOTE_CLUSTER,
            "127.0.10.2", "8.19.21", "ESS", ESS_ORG, 9400);
    static final DeploymentInfo PEER = new DeploymentInfo("ece", PEER_ID, "main-elasticsearch", PEER_CLUSTER,
            "127.0.10.3", "8.19.21", "ECE", ECE_ACCOUNT, 9300);

    final TrustFakes.Links links = new TrustFakes.Links();
    final Fakes.RecordingInbox inbox = new Fakes.RecordingInbox();
    final Fakes.RecordingOutbox outbox = new Fakes.RecordingOutbox();
    final TrustFakes.Cloud cloud = new TrustFakes.Cloud();
    final TrustFakes.MovingClock clock = new TrustFakes.MovingClock();
    final Fakes.Queue queue = new Fakes.Queue();
    final CloudApiRetry retry = new CloudApiRetry(4, Duration.ofMillis(100), Duration.ofMillis(400));
    TrustLedger ledger;
    CertificateTrustService step;
    CertificateUndoService undo;
    Fakes.Worker worker;
    String connection;
    TrustFakes.Deployment local;
    TrustFakes.Deployment remote;
    TrustFakes.Deployment peer;

    @BeforeEach
    void setUp() {
        TrustStepSettings settings = new TrustStepSettings(Duration.ofSeconds(60), POLL, 4, clock);
        ledger = new TrustLedger(links, inbox, outbox, queue);
        TrustWriter writer = new TrustWriter(cloud, ledger, new DeploymentLocks(), settings);
        PlanWaiter plans = new PlanWaiter(cloud);
        step = new CertificateTrustService(ledger, cloud, writer, plans, settings, retry);
        undo = new CertificateUndoService(ledger, writer, plans, settings,
                new UndoRetry(retry, new UndoBudget(REPORT_MARGIN, clock)));
        worker = new Fakes.Worker(queue, clock, step, undo);
        connection = UUID.randomUUID().toString();
        // As cloud-sim (and Elastic Cloud) start them: each trusts its own account only.
        local = cloud.add(LOCAL_ID, "local", List.of(LOCAL_CA), defaultTrust(ECE_ACCOUNT, "environment"));
        remote = cloud.add(REMOTE_ID, "remote", List.of(REMOTE_CA), defaultTrust(ESS_ORG, "organization"));
        peer = cloud.add(PEER_ID, "peer", List.of(OTHER_CA), defaultTrust(ECE_ACCOUNT, "environment"));
    }

    // --- the step

    @Test
    void acrossEnvironments_eachSideGetsADirectEntryForThePeer_thenTrustUpdated() {
        JsonNode localBefore = local.trust.deepCopy();
        JsonNode remoteBefore = remote.trust.deepCopy();
        ConnectionRequested requested = requested(LOCAL, REMOTE, false);

        handle(requested);

        JsonNode localEntry = single(local.trust.path("direct"));
        assertEquals("ESS", localEntry.path("type").asText());
        assertEquals(ESS_ORG, localEntry.path("scope_id").asText());
        assertEquals("crosslink remote", localEntry.path("name").asText());
        assertFalse(localEntry.path("trust_all").asBoolean());
        assertEquals(TrustFakes.json("['" + REMOTE_CLUSTER + "']"), localEntry.path("trust_allowlist"));
        assertEquals(REMOTE_CA, single(localEntry.path("certificates")).path("pem").asText());
        JsonNode remoteEntry = single(remote.trust.path("direct"));
        assertEquals("ECE", remoteEntry.path("type").asText());
        assertEquals(ECE_ACCOUNT, remoteEntry.path("scope_id").asText());
        assertEquals(TrustFakes.json("['" + LOCAL_CLUSTER + "']"), remoteEntry.path("trust_allowlist"));
        assertEquals(LOCAL_CA, single(remoteEntry.path("certificates")).path("pem").asText());
        assertEquals(localBefore.path("accounts"), local.trust.path("accounts"), "the default entry is kept");
        assertEquals(remoteBefore.path("accounts"), remote.trust.path("accounts"));

        TrustUpdated updated = assertInstanceOf(TrustUpdated.class, single(outbox.published));
        assertEquals(List.of(new TrustEdit(LOCAL_ID, REMOTE_ID, "direct", ESS_ORG, true, false, List.of(), List.of()),
                new TrustEdit(REMOTE_ID, LOCAL_ID, "direct", ECE_ACCOUNT, true, false, List.of(), List.of())),
                updated.edits());
        assertEquals(0, local.pendingReads, "announced only once no plan is pending");
        assertEquals(0, remote.pendingReads);
        assertEquals(TrustStatus.UPDATED, link().status);
        assertEquals(TrustEditState.APPLIED, links.edit(connection, LOCAL_ID).orElseThrow().state);
        assertEquals(localEntry.path("uid").asText(), links.edit(connection, LOCAL_ID).orElseThrow().directUid,
                "the uid the Cloud API gave the entry is kept for the undo");
        assertTrue(inbox.recorded.contains(requested.eventId()));
    }

    @Test
    void sameInstallation_trustingItsOwnAccountAlready_changesNothing() {
        handle(requested(LOCAL, PEER, false));

        assertEquals(0, cloud.calls.stream().filter(call -> call.startsWith("PUT")).count(), "no update");
        assertEquals(0, cloud.calls.stream().filter(call -> call.startsWith("CA")).count(),
                "an accounts entry needs no CA");
        assertEquals(List.of(), assertInstanceOf(TrustUpdated.class, single(outbox.published)).edits());
        assertTrue(links.edit(connection, LOCAL_ID).orElseThrow().edit().noop(), "the noop edit is recorded all the same");
    }

    @Test
    void sameInstallation_withAnAllowlist_appendsThePeerOnBothSides() {
        local.trust = (ObjectNode) TrustFakes.json("{'accounts':[{'account_id':'" + ECE_ACCOUNT + "','name':'Team X',"
                + "'trust_all':false,'trust_allowlist':['cluster-a']}],'external':[],'direct':[]}");
        peer.trust = (ObjectNode) TrustFakes.json("{'accounts':[{'account_id':'" + ECE_ACCOUNT + "','name':'Team Y',"
                + "'trust_all':false,'trust_allowlist':[]}],'external':[],'direct':[]}");

        handle(requested(LOCAL, PEER, false));

        assertEquals(TrustFakes.json("['cluster-a','" + PEER_CLUSTER + "']"),
                local.trust.path("accounts").get(0).path("trust_allowlist"));
        assertEquals("Team X", local.trust.path("accounts").get(0).path("name").asText());
        assertEquals(TrustFakes.json("['" + LOCAL_CLUSTER + "']"),
                peer.trust.path("accounts").get(0).path("trust_allowlist"));
        TrustUpdated updated = assertInstanceOf(TrustUpdated.class, single(outbox.published));
        assertEquals(List.of(new TrustEdit(LOCAL_ID, PEER_ID, "accounts", ECE_ACCOUNT, false, false,
                List.of(PEER_CLUSTER), List.of()), new TrustEdit(PEER_ID, LOCAL_ID, "accounts", ECE_ACCOUNT, false,
                        false, List.of(LOCAL_CLUSTER), List.of())), updated.edits());
    }

    @Test
    void redelivered_changesNothing() {
        ConnectionRequested requested = requested(LOCAL, REMOTE, false);
        handle(requested);
        int calls = cloud.calls.size();
        JsonNode localAfter = local.trust.deepCopy();

        handle(requested);

        assertEquals(calls, cloud.calls.size(), "no Cloud API call");
        assertEquals(localAfter, local.trust);
        assertEquals(1, outbox.published.size());
    }

    @Test
    void crashAfterAPut_theReplayReusesTheRecordedEdit_andTheUndoStillRemovesIt() {
        JsonNode localBefore = local.trust.deepCopy();
        JsonNode remoteBefore = remote.trust.deepCopy();
        ConnectionRequested requested = requested(LOCAL, REMOTE, false);
        // The remote's PUT lands, then the service dies before recording anything.
        TrustFakes.Cloud.script(cloud.afterPut, REMOTE_ID, () -> {
            throw new IllegalStateException("killed");
        });
        step.handle(requested);
        Work item = queue.items.get(0);
        assertThrows(IllegalStateException.class, () -> step.run(item));
        assertTrue(outbox.published.isEmpty());
        assertEquals(TrustStatus.UPDATING, link().status);
        assertEquals(TrustEditState.PLANNED, links.edit(connection, REMOTE_ID).orElseThrow().state, "recorded before the PUT");

        handle(requested); // redelivered: recorded already; the item runs again once its lease ran out

        assertEquals(1, cloud.count("PUT " + LOCAL_ID));
        assertEquals(1, cloud.count("PUT " + REMOTE_ID), "both edits had landed: nothing written again");
        TrustUpdated updated = assertInstanceOf(TrustUpdated.class, single(outbox.published));
        assertTrue(updated.edits().stream().allMatch(TrustEdit::created),
                "the replay owns the entries it created before the crash (recomputing would say: already trusted)");

        removeTrust(remoteRemoved());

        assertEquals(localBefore, local.trust);
        assertEquals(remoteBefore, remote.trust);
    }

    @Test
    void conflictWithAnotherWriter_readsAgainAndKeepsTheirChange() {
        // Just before our PUT, someone else adds an entry: our PUT names the old version and gets 409.
        TrustFakes.Cloud.script(cloud.beforePut, LOCAL_ID, deployment -> {
            ((com.fasterxml.jackson.databind.node.ArrayNode) deployment.trust.path("accounts")).addObject()
                    .put("account_id", "someone-else").put("Name_Of_Theirs", "Ops").put("trust_all", true);
            deployment.version++;
        });

        handle(requested(LOCAL, REMOTE, false));

        assertEquals(2, cloud.count("PUT " + LOCAL_ID), "409, then read, edit and write again");
        assertEquals(2, local.trust.path("accounts").size(), "their entry survives ours");
        assertEquals("Ops", local.trust.path("accounts").get(1).path("Name_Of_Theirs").asText());
        assertEquals(1, local.trust.path("direct").size());
        TrustUpdated updated = assertInstanceOf(TrustUpdated.class, single(outbox.published));
        assertTrue(updated.edits().get(0).created());
        assertTrue(worker.parks().stream().allMatch(park -> park.checkpoint() != null),
                "no backoff: read again at once, within the run (the parks are the plan wait's)");
    }

    @Test
    void theConsumerOnlyRecords_theRequestAndAWorkItemOnBothDeployments() {
        ConnectionRequested requested = requested(LOCAL, REMOTE, false);

        step.handle(requested);

        assertTrue(cloud.calls.isEmpty(), "no Cloud API call on the consumer thread");
        assertTrue(inbox.recorded.contains(requested.eventId()));
        Work work = single(queue.items);
        assertEquals(CertificateTrustService.KIND, work.kind());
        assertEquals(List.of("ece/" + LOCAL_ID, "ess/" + REMOTE_ID), work.deployments());
        assertEquals(TrustStatus.UPDATING, link().status);
    }

    @Test
    void pendingPlan_parksBetweenLooks_withItsDeadlineInTheCheckpoint_thenTrustUpdated() {
        cloud.pendingReadsAfterPut = 3;
        Instant start = clock.instant();

        handle(requested(LOCAL, REMOTE, false));

        assertInstanceOf(TrustUpdated.class, single(outbox.published));
        assertEquals(0, local.pendingReads);
        assertEquals(0, remote.pendingReads);
        assertEquals(List.of(POLL, POLL, POLL), worker.parkDelays(), "three looks at a pending plan, then none");
        assertTrue(clock.pauses.isEmpty(), "nothing waited in process: the item parked");
        for (WorkResult.Park park : worker.parks()) {
            CertificateTrustService.PlanWait wait = EventCodec.read(park.checkpoint(),
                    CertificateTrustService.PlanWait.class);
            assertEquals(start.plusSeconds(60), wait.deadline(), "the plan wait's deadline, set after the writes");
            assertEquals(2, wait.edits().size());
            assertTrue(park.reason().contains("plan pending"), park.reason());
        }
        assertEquals(1, cloud.count("PUT " + LOCAL_ID), "a run from the checkpoint only looks at the plans");
        assertEquals(1, cloud.count("CA " + REMOTE_ID));
        assertEquals(1 + 4, cloud.count("GET " + LOCAL_ID), "the read for the write, then one per look");
    }

    @Test
    void pendingPlanBeyondTheTimeout_failsTheStep() {
        cloud.pendingReadsAfterPut = 1_000;

        handle(requested(LOCAL, REMOTE, false));

        TrustUpdateFailed failed = assertInstanceOf(TrustUpdateFailed.class, single(outbox.published));
        assertEquals("plan_timeout", failed.failure().type());
        assertTrue(failed.failure().reason().contains(LOCAL_ID), failed.failure().reason());
        assertTrue(failed.failure().retryable());
        assertEquals(TrustStatus.FAILED, link().status);
        assertEquals(Duration.ofSeconds(60), worker.parkDelays().stream().reduce(Duration.ZERO, Duration::plus));
        assertInstanceOf(WorkResult.Done.class, worker.runs.get(worker.runs.size() - 1).result());
    }

    @Test
    void aTransientReadFailure_parksTheItem_andTheNextRunWrites() {
        TrustFakes.Cloud.script(cloud.readFailures, LOCAL_ID, ElasticCallException.fromResponse(503,
                "{\"errors\":[{\"code\":\"root.unavailable\",\"message\":\"try again\"}]}"));

        handle(requested(LOCAL, REMOTE, false));

        Duration first = worker.parkDelays().get(0);
        assertTrue(first.toMillis() >= 100 && first.toMillis() <= 120, "the first backoff: " + first);
        assertEquals(null, worker.parks().get(0).checkpoint(), "still writing: no plan wait yet");
        assertInstanceOf(TrustUpdated.class, single(outbox.published));
        assertEquals(1, cloud.count("PUT " + LOCAL_ID));
    }

    @Test
    void permanentRefusal_failsTheStepWithTheCloudError() {
        TrustFakes.Cloud.script(cloud.putFailures, LOCAL_ID, ElasticCallException.fromResponse(400,
                "{\"errors\":[{\"code\":\"root.invalid_json_request\",\"message\":\"bad trust\"}]}"));

        handle(requested(LOCAL, REMOTE, false));

        TrustUpdateFailed failed = assertInstanceOf(TrustUpdateFailed.class, single(outbox.published));
        assertEquals(new StepFailure("root.invalid_json_request", "bad trust", 400, false), failed.failure());
        assertEquals(1, cloud.count("PUT " + LOCAL_ID), "not retried");
        assertEquals(0, cloud.count("PUT " + REMOTE_ID), "the other side is not written");
        assertEquals(TrustStatus.FAILED, link().status);
        assertEquals("root.invalid_json_request", link().failureType);

        handle(requested(LOCAL, REMOTE, false)); // the same connection requested again: not retried
        assertEquals(1, cloud.count("PUT " + LOCAL_ID));
    }

    @Test
    void aRefusalOnRAfterLWasChanged_failsTheStepNamingLsEdit() {
        TrustFakes.Cloud.script(cloud.putFailures, REMOTE_ID, ElasticCallException.fromResponse(400,
                "{\"errors\":[{\"code\":\"root.invalid_json_request\",\"message\":\"bad trust\"}]}"));

        handle(requested(LOCAL, REMOTE, false));

        TrustUpdateFailed failed = assertInstanceOf(TrustUpdateFailed.class, single(outbox.published));
        assertTrue(failed.edits().stream().anyMatch(edit -> edit.deploymentId().equals(LOCAL_ID)),
                "L's trust was changed before R refused: " + failed.edits());
        assertTrue(failed.edits().stream().allMatch(edit -> !edit.noop()));
    }

    @Test
    void transientFailuresBeyondTheAttempts_failTheStep() {
        for (int i = 0; i < 4; i++) {
            TrustFakes.Cloud.script(cloud.putFailures, LOCAL_ID, ElasticCallException.fromResponse(503,
                    "{\"errors\":[{\"code\":\"root.unavailable\",\"message\":\"try again\"}]}"));
        }

        handle(requested(LOCAL, REMOTE, false));

        TrustUpdateFailed failed = assertInstanceOf(TrustUpdateFailed.class, single(outbox.published));
        assertEquals("root.unavailable", failed.failure().type());
        assertTrue(failed.failure().retryable());
        assertEquals(4, cloud.count("PUT " + LOCAL_ID), "one per run: the configured attempts");
        assertEquals(3, worker.parks().size(), "parked between them");
        assertEquals(0, cloud.count("PUT " + REMOTE_ID));
    }

    @Test
    void anAnswerLostAfterThePutLanded_isNotMistakenForAlreadyTrusted() {
        JsonNode localBefore = local.trust.deepCopy();
        TrustFakes.Cloud.script(cloud.afterPut, LOCAL_ID, () -> {
            throw ElasticCallException.of(new StepFailure("io_error", "connection reset", null, true));
        });

        handle(requested(LOCAL, REMOTE, false));

        assertEquals(1, cloud.count("PUT " + LOCAL_ID), "the next attempt finds the entry there: no second PUT");
        TrustUpdated updated = assertInstanceOf(TrustUpdated.class, single(outbox.published));
        assertTrue(updated.edits().get(0).created(), "still the saga's entry");
        removeTrust(remoteRemoved());
        assertEquals(localBefore, local.trust);
    }

    @Test
    void missingFacts_failTheStepWithoutACall() {
        DeploymentInfo bare = new DeploymentInfo("ess", REMOTE_ID, "main-elasticsearch", REMOTE_CLUSTER,
                "127.0.10.2", "8.19.21");

        handle(requested(LOCAL, bare, false));

        assertEquals("trust_data_unavailable",
                assertInstanceOf(TrustUpdateFailed.class, single(outbox.published)).failure().type());
        assertTrue(cloud.calls.isEmpty());
    }

    // --- the tombstone

    @Test
    void compensationBeforeTheStep_itNeverRuns_andTheUndoHasNothingToRemove() {
        undo.compensationStarted(started());
        handle(requested(LOCAL, REMOTE, false));

        assertTrue(cloud.calls.isEmpty());
        assertTrue(outbox.published.isEmpty());
        assertEquals(TrustStatus.ABANDONED, link().status);
        assertTrue(undo.handles(connection), "the request was taken: the undo chain is the certificate model's");

        removeTrust(remoteRemoved());

        TrustRemoved removed = assertInstanceOf(TrustRemoved.class, single(outbox.published));
        assertFalse(removed.removed());
        assertEquals(List.of(), removed.edits());
        assertTrue(cloud.calls.isEmpty());
    }

    @Test
    void compensationBetweenTheTwoSides_stopsBeforeTheSecondWrite_andTheFirstIsUndone() {
        JsonNode localBefore = local.trust.deepCopy();
        JsonNode remoteBefore = remote.trust.deepCopy();
        // CompensationStarted (say, the saga's deadline) is handled elsewhere while L's update is in flight.
        TrustFakes.Cloud.script(cloud.afterPut, LOCAL_ID, () -> undo.compensationStarted(started()));

        handle(requested(LOCAL, REMOTE, false));

        assertEquals(0, cloud.count("PUT " + REMOTE_ID), "no write after the tombstone");
        assertTrue(outbox.published.isEmpty(), "the undo chain reports, not the step");
        assertEquals(TrustStatus.ABANDONED, link().status);

        removeTrust(remoteRemoved());

        TrustRemoved removed = assertInstanceOf(TrustRemoved.class, single(outbox.published));
        assertTrue(removed.removed());
        assertEquals(List.of(LOCAL_ID), removed.edits().stream().map(TrustEdit::deploymentId).toList());
        assertEquals(localBefore, local.trust);
        assertEquals(remoteBefore, remote.trust);
    }

    @Test
    void aStepCutShortByACrash_isUndoneAfterTheTombstone() {
        JsonNode localBefore = local.trust.deepCopy();
        ConnectionRequested requested = requested(LOCAL, REMOTE, false);
        TrustFakes.Cloud.script(cloud.afterPut, LOCAL_ID, () -> {
            throw new IllegalStateException("killed");
        });
        step.handle(requested);
        Work item = queue.items.get(0);
        assertThrows(IllegalStateException.class, () -> step.run(item));

        undo.compensationStarted(started());
        handle(requested); // redelivered after the tombstone: recorded only; the item runs again and stops
        assertEquals(1, cloud.count("PUT " + LOCAL_ID));
        assertEquals(0, cloud.count("PUT " + REMOTE_ID));

        removeTrust(remoteRemoved());

        assertTrue(assertInstanceOf(TrustRemoved.class, single(outbox.published)).removed());
        assertEquals(localBefore, local.trust);
    }

    // --- the undo

    @Test
    void undo_afterTheStep_restoresBothSidesExactly_keepingForeignEntries() {
        // Entries of others on both sides, with names, uids, node names and unusual fields.
        local.trust = (ObjectNode) TrustFakes.json("{'accounts':[{'account_id':'" + ECE_ACCOUNT + "','name':"
                + "'Default trust for own environment','trust_all':true,'trust_allowlist':[]}],'external':[],"
                + "'direct':[{'uid':'Foreign-UID','name':'Self-Managed DC1','type':'generic','scope_id':'dc1',"
                + "'trust_all':false,'trust_allowlist':['Cluster-X'],'additional_node_names':['Node-1.DC1.example'],"
                + "'certificates':[]}]}");
        ((ObjectNode) local.trust.path("direct").get(0)).withArray("certificates").addObject().put("pem", OTHER_CA);
        remote.trust = (ObjectNode) TrustFakes.json("{'accounts':[{'account_id':'" + ESS_ORG + "','name':"
                + "'Default trust for own organization','trust_all':true,'trust_allowlist':[]}],'external':[],"
                + "'direct':[{'uid':'ece-dc','name':'ECE Prod','type':'ECE','scope_id':'" + ECE_ACCOUNT + "',"
                + "'trust_all':false,'trust_allowlist':['Other-Cluster'],'certificates':[]}]}");
        ((ObjectNode) remote.trust.path("direct").get(0)).withArray("certificates").addObject().put("pem", OTHER_CA);
        JsonNode localBefore = local.trust.deepCopy();
        JsonNode remoteBefore = remote.trust.deepCopy();
        handle(requested(LOCAL, REMOTE, false));
        TrustUpdated updated = assertInstanceOf(TrustUpdated.class, single(outbox.published));
        TrustEdit remoteEdit = updated.edits().get(1);
        assertFalse(remoteEdit.created(), "R already had an ECE entry for L's installation: appended to");
        assertEquals(List.of(LOCAL_CLUSTER), remoteEdit.addedClusterIds());
        assertEquals(List.of(Certificates.fingerprint(LOCAL_CA).orElseThrow()), remoteEdit.addedCertificates());

        undo.compensationStarted(started());
        RemoteRemoved trigger = remoteRemoved();
        removeTrust(trigger);

        TrustRemoved removed = assertInstanceOf(TrustRemoved.class, outbox.published.get(1));
        assertTrue(removed.removed());
        assertEquals(updated.edits(), removed.edits());
        assertEquals(localBefore, local.trust);
        assertEquals(remoteBefore, remote.trust);
        assertEquals(UndoStatus.REMOVED, link().undoStatus);
        assertTrue(inbox.recorded.contains(trigger.eventId()));
        assertTrue(links.edits(connection).stream().allMatch(record -> record.state == TrustEditState.REMOVED));
    }

    @Test
    void undo_afterRemoteRemovalFailed_removesAsWell() {
        JsonNode localBefore = local.trust.deepCopy();
        handle(requested(LOCAL, REMOTE, false));

        removeTrust(new RemoteRemovalFailed(UUID.randomUUID().toString(), connection, Instant.now(),
                new StepFailure("http_503", "unavailable", 503, true)));

        assertTrue(assertInstanceOf(TrustRemoved.class, outbox.published.get(1)).removed());
        assertEquals(localBefore, local.trust);
    }

    @Test
    void undo_whenTheStepChangedNothing_announcesRemovedFalseWithoutACall() {
        handle(requested(LOCAL, PEER, false));
        cloud.calls.clear();

        removeTrust(remoteRemoved());

        TrustRemoved removed = assertInstanceOf(TrustRemoved.class, outbox.published.get(1));
        assertFalse(removed.removed());
        assertTrue(cloud.calls.isEmpty());
    }

    @Test
    void undo_ofAStepWhoseWritesWereRefused_findsNothingAndSaysSo() {
        TrustFakes.Cloud.script(cloud.putFailures, LOCAL_ID, ElasticCallException.fromResponse(400,
                "{\"errors\":[{\"code\":\"root.invalid_json_request\",\"message\":\"bad trust\"}]}"));
        handle(requested(LOCAL, REMOTE, false));

        removeTrust(remoteRemoved());

        TrustRemoved removed = assertInstanceOf(TrustRemoved.class, outbox.published.get(1));
        assertFalse(removed.removed(), "the planned edit never landed");
        assertEquals(1, cloud.count("PUT " + LOCAL_ID), "nothing to remove: no update");
    }

    @Test
    void undoFailure_announcesTrustRemovalFailedNamingWhatIsLeft_andARepeatedChainRetries() {
        JsonNode localBefore = local.trust.deepCopy();
        handle(requested(LOCAL, REMOTE, false));
        TrustFakes.Cloud.script(cloud.putFailures, LOCAL_ID, ElasticCallException.fromResponse(403,
                "{\"errors\":[{\"code\":\"root.forbidden\",\"message\":\"not allowed\"}]}"));

        removeTrust(remoteRemoved());

        TrustRemovalFailed failed = assertInstanceOf(TrustRemovalFailed.class, outbox.published.get(1));
        assertEquals("root.forbidden", failed.failure().type());
        assertEquals(Certainty.CONFIRMED, failed.certainty(), "L's trust, read after the refusal, still holds the edit");
        assertTrue(failed.failure().reason().contains("direct:" + ESS_ORG), failed.failure().reason());
        assertTrue(failed.failure().reason().contains(LOCAL_ID), failed.failure().reason());
        assertEquals(UndoStatus.REMOVAL_FAILED, link().undoStatus);

        removeTrust(remoteRemoved()); // e.g. DELETE of the FAILED connection: the chain runs again

        assertTrue(assertInstanceOf(TrustRemoved.class, outbox.published.get(2)).removed());
        assertEquals(localBefore, local.trust);
        assertEquals(UndoStatus.REMOVED, link().undoStatus);
    }

    @Test
    void undoFailure_withATrustSettingThatCannotBeRead_isAPossibleLeftover() {
        handle(requested(LOCAL, REMOTE, false));
        // L's edit goes; R refuses its removal, and R cannot be read afterwards.
        TrustFakes.Cloud.script(cloud.beforePut, REMOTE_ID, deployment -> TrustFakes.Cloud.script(cloud.readFailures,
                REMOTE_ID, ElasticCallException.fromResponse(403,
                        "{\"errors\":[{\"code\":\"root.forbidden\",\"message\":\"no reading\"}]}")));
        TrustFakes.Cloud.script(cloud.putFailures, REMOTE_ID, ElasticCallException.fromResponse(403,
                "{\"errors\":[{\"code\":\"root.forbidden\",\"message\":\"not allowed\"}]}"));

        removeTrust(remoteRemoved());

        TrustRemovalFailed failed = assertInstanceOf(TrustRemovalFailed.class, outbox.published.get(1));
        assertEquals("root.forbidden", failed.failure().type());
        assertEquals(Certainty.POSSIBLE, failed.certainty(), "L shows its part gone, R could not be read");
    }

    @Test
    void undoFailure_afterTheRemovalTookEffect_isReadAsRemoved() {
        JsonNode remoteBefore = remote.trust.deepCopy();
        handle(requested(LOCAL, REMOTE, false));
        // R's removal lands, then its answer is lost as a refusal.
        TrustFakes.Cloud.script(cloud.afterPut, REMOTE_ID, () -> {
            throw ElasticCallException.fromResponse(400,
                    "{\"errors\":[{\"code\":\"root.invalid\",\"message\":\"answered late\"}]}");
        });

        removeTrust(remoteRemoved());

        assertTrue(assertInstanceOf(TrustRemoved.class, outbox.published.get(1)).removed(),
                "both trust settings, read after the refusal, show the saga's part gone");
        assertEquals(remoteBefore, remote.trust);
    }

    @Test
    void undoFailure_withTrustSettingsNoLongerShown_isAPossibleLeftover() {
        handle(requested(LOCAL, REMOTE, false));
        remote.hidesTrust = true; // L's edit goes; R cannot be edited, and the read after the failure cannot tell

        removeTrust(remoteRemoved());

        TrustRemovalFailed failed = assertInstanceOf(TrustRemovalFailed.class, outbox.published.get(1));
        assertEquals("trust_settings_unavailable", failed.failure().type());
        assertEquals(Certainty.POSSIBLE, failed.certainty(), "L shows its part gone, R's read shows no trust");
        assertEquals(UndoStatus.REMOVAL_FAILED, link().undoStatus);
    }

    @Test
    void undoPlanWaitTimingOut_isAPossibleLeftover() {
        handle(requested(LOCAL, REMOTE, false));
        int parked = worker.parks().size();
        cloud.pendingReadsAfterPut = 1_000;

        removeTrust(remoteRemoved());

        TrustRemovalFailed failed = assertInstanceOf(TrustRemovalFailed.class, outbox.published.get(1));
        assertEquals("plan_timeout", failed.failure().type());
        assertEquals(Certainty.POSSIBLE, failed.certainty(),
                "the settings no longer hold the edits, but the change is not known to be applied");
        assertEquals(Duration.ofSeconds(60), worker.parkDelays().subList(parked, worker.parks().size()).stream()
                .reduce(Duration.ZERO, Duration::plus), "a chain without a deadline: the plan timeout rules");
    }

    @Test
    void undo_redelivered_changesNothing() {
        handle(requested(LOCAL, REMOTE, false));
        RemoteRemoved trigger = remoteRemoved();
        removeTrust(trigger);
        int calls = cloud.calls.size();

        removeTrust(trigger);

        assertEquals(calls, cloud.calls.size());
        assertEquals(2, outbox.published.size());
    }

    @Test
    void undo_waitsForThePlanOfItsOwnUpdate() {
        handle(requested(LOCAL, REMOTE, false));
        int parked = worker.parks().size();
        cloud.pendingReadsAfterPut = 2;

        removeTrust(remoteRemoved());

        assertInstanceOf(TrustRemoved.class, outbox.published.get(1));
        assertEquals(0, local.pendingReads);
        assertEquals(0, remote.pendingReads);
        List<WorkResult.Park> parks = worker.parks().subList(parked, worker.parks().size());
        assertEquals(List.of(POLL, POLL), parks.stream().map(WorkResult.Park::delay).toList());
        CertificateUndoService.Progress progress = EventCodec.read(parks.get(0).checkpoint(),
                CertificateUndoService.Progress.class);
        assertEquals(List.of(LOCAL_ID, REMOTE_ID), progress.changed());
        assertNotNull(progress.planDeadline());
    }

    @Test
    void undo_parksOnATransientFailure_rememberingWhatItChanged_thenFinishes() {
        JsonNode localBefore = local.trust.deepCopy();
        JsonNode remoteBefore = remote.trust.deepCopy();
        handle(requested(LOCAL, REMOTE, false));
        int parked = worker.parks().size();
        TrustFakes.Cloud.script(cloud.putFailures, REMOTE_ID, ElasticCallException.fromResponse(503,
                "{\"errors\":[{\"code\":\"root.unavailable\",\"message\":\"try again\"}]}"));

        removeTrust(remoteRemoved());

        WorkResult.Park park = worker.parks().get(parked);
        CertificateUndoService.Progress progress = EventCodec.read(park.checkpoint(),
                CertificateUndoService.Progress.class);
        assertTrue(progress.changed().contains(LOCAL_ID), "L's removal is remembered: " + progress);
        assertEquals(null, progress.planDeadline());
        TrustRemoved removed = assertInstanceOf(TrustRemoved.class, outbox.published.get(1));
        assertTrue(removed.removed());
        assertEquals(localBefore, local.trust);
        assertEquals(remoteBefore, remote.trust);
        assertEquals(2, cloud.count("PUT " + LOCAL_ID), "the step's and the undo's: the next run finds L done");
    }

    @Test
    void undo_transientFailuresBeyondTheAttempts_failNamingWhatIsLeft() {
        handle(requested(LOCAL, REMOTE, false));
        for (int i = 0; i < 4; i++) {
            TrustFakes.Cloud.script(cloud.putFailures, LOCAL_ID, ElasticCallException.fromResponse(503,
                    "{\"errors\":[{\"code\":\"root.unavailable\",\"message\":\"try again\"}]}"));
        }

        removeTrust(remoteRemoved());

        TrustRemovalFailed failed = assertInstanceOf(TrustRemovalFailed.class, outbox.published.get(1));
        assertEquals("root.unavailable", failed.failure().type());
        assertEquals(Certainty.CONFIRMED, failed.certainty(), "out of attempts, a read still shows L's entry");
        assertTrue(failed.failure().reason().contains("direct:" + ESS_ORG), failed.failure().reason());
        assertEquals(UndoStatus.REMOVAL_FAILED, link().undoStatus);
        assertEquals(1 + 4, cloud.count("PUT " + LOCAL_ID));
    }

    @Test
    void undoRunAgainAfterItsCommit_announcesNothingTwice() {
        handle(requested(LOCAL, REMOTE, false));
        removeTrust(remoteRemoved());
        Work removal = queue.all.stream().filter(w -> w.kind().equals(CertificateUndoService.KIND)).findFirst()
                .orElseThrow();
        int calls = cloud.calls.size();

        assertInstanceOf(WorkResult.Done.class, undo.run(removal));

        assertEquals(calls, cloud.calls.size());
        assertEquals(2, outbox.published.size());
    }

    @Test
    void apiKeyConnections_areNotTheCertificateUndos() {
        undo.compensationStarted(started());

        assertFalse(undo.handles(connection), "a tombstone alone does not claim the connection");
        assertFalse(undo.handles(UUID.randomUUID().toString()));
    }

    // --- the undo's chain: echoed on every answer, and its deadline bounds the retries and the plan wait

    @Test
    void undo_trustRemoved_carriesTheChainOfTheTriggerBack() {
        handle(requested(LOCAL, REMOTE, false));
        UndoChain chain = chain(Duration.ofMinutes(15));
        undo.compensationStarted(started(chain));

        removeTrust(remoteRemoved(chain));

        TrustRemoved removed = assertInstanceOf(TrustRemoved.class, outbox.published.get(1));
        assertTrue(removed.removed());
        assertEquals(chain, removed.chain());
    }

    @Test
    void undo_nothingChanged_trustRemovedFalse_carriesTheChainOfRemoteRemovalFailed() {
        handle(requested(LOCAL, PEER, false));
        UndoChain chain = chain(Duration.ofMinutes(15));

        removeTrust(new RemoteRemovalFailed(UUID.randomUUID().toString(), connection, Instant.now(),
                new StepFailure("http_503", "unavailable", 503, true), Certainty.POSSIBLE, chain));

        TrustRemoved removed = assertInstanceOf(TrustRemoved.class, outbox.published.get(1));
        assertFalse(removed.removed());
        assertEquals(chain, removed.chain());
    }

    @Test
    void undo_trustRemovalFailed_carriesTheChainOfTheTriggerBack() {
        handle(requested(LOCAL, REMOTE, false));
        TrustFakes.Cloud.script(cloud.putFailures, LOCAL_ID, ElasticCallException.fromResponse(403,
                "{\"errors\":[{\"code\":\"root.forbidden\",\"message\":\"not allowed\"}]}"));
        UndoChain chain = chain(Duration.ofMinutes(15));

        removeTrust(remoteRemoved(chain));

        TrustRemovalFailed failed = assertInstanceOf(TrustRemovalFailed.class, outbox.published.get(1));
        assertEquals(Certainty.CONFIRMED, failed.certainty());
        assertEquals(chain, failed.chain());
        assertEquals(1 + 1, cloud.count("PUT " + LOCAL_ID), "a refusal reports at once, however far the deadline");
    }

    @Test
    void undo_transientFailuresBeyondTheAttempts_areRetriedWhileTheChainsDeadlineAllows() {
        JsonNode localBefore = local.trust.deepCopy();
        handle(requested(LOCAL, REMOTE, false));
        for (int i = 0; i < 10; i++) {
            TrustFakes.Cloud.script(cloud.putFailures, LOCAL_ID, unavailable());
        }
        UndoChain chain = chain(Duration.ofMinutes(15));

        removeTrust(remoteRemoved(chain));

        assertEquals(1 + 11, cloud.count("PUT " + LOCAL_ID), "ten failures, far beyond the 4 configured runs");
        TrustRemoved removed = assertInstanceOf(TrustRemoved.class, outbox.published.get(1));
        assertTrue(removed.removed());
        assertEquals(chain, removed.chain());
        assertEquals(localBefore, local.trust);
    }

    @Test
    void undo_transientFailuresUntilTheChainsDeadline_theFinalReadDecides() {
        handle(requested(LOCAL, REMOTE, false));
        RuntimeException unavailable = unavailable();
        for (int i = 0; i < 5_000; i++) {
            TrustFakes.Cloud.script(cloud.putFailures, LOCAL_ID, unavailable);
        }
        UndoChain chain = chain(Duration.ofMinutes(2));
        Instant lastStart = chain.deadline().minus(REPORT_MARGIN);

        removeTrust(remoteRemoved(chain));

        assertTrue(cloud.count("PUT " + LOCAL_ID) > 100, "retried for 90 s: " + cloud.count("PUT " + LOCAL_ID));
        assertTrue(clock.now.isBefore(lastStart), "no run after the deadline less the margin: " + clock.now);
        assertFalse(clock.now.plusMillis(480).isBefore(lastStart), "it stopped only when no park fitted: "
                + clock.now);
        assertEquals(List.of("PUT " + LOCAL_ID, "GET " + LOCAL_ID), cloud.calls.subList(cloud.calls.size() - 2,
                cloud.calls.size()), "after the last failed PUT, a final read (L still holds the edit)");
        TrustRemovalFailed failed = assertInstanceOf(TrustRemovalFailed.class, single(
                outbox.published.subList(1, outbox.published.size())));
        assertEquals("root.unavailable", failed.failure().type());
        assertEquals(Certainty.CONFIRMED, failed.certainty(), "the final read still shows L's entry");
        assertEquals(chain, failed.chain());
    }

    @Test
    void undo_planWait_lastsUntilTheChainsDeadline_notThePlanTimeout() {
        handle(requested(LOCAL, REMOTE, false));
        int parked = worker.parks().size();
        cloud.pendingReadsAfterPut = 60; // two minutes of looks, twice the plan timeout
        UndoChain chain = chain(Duration.ofMinutes(15));

        removeTrust(remoteRemoved(chain));

        TrustRemoved removed = assertInstanceOf(TrustRemoved.class, outbox.published.get(1));
        assertTrue(removed.removed());
        assertEquals(chain, removed.chain());
        Duration waited = worker.parkDelays().subList(parked, worker.parks().size()).stream()
                .reduce(Duration.ZERO, Duration::plus);
        assertTrue(waited.compareTo(Duration.ofSeconds(60)) > 0, "waited " + waited);
    }

    @Test
    void undo_planPendingUntilTheChainsDeadline_failsBeforeIt() {
        handle(requested(LOCAL, REMOTE, false));
        cloud.pendingReadsAfterPut = 1_000;
        UndoChain chain = chain(Duration.ofMinutes(3));
        Instant lastStart = chain.deadline().minus(REPORT_MARGIN);

        removeTrust(remoteRemoved(chain));

        TrustRemovalFailed failed = assertInstanceOf(TrustRemovalFailed.class, outbox.published.get(1));
        assertEquals("plan_timeout", failed.failure().type());
        assertTrue(failed.failure().reason().contains("undo chain's deadline"), failed.failure().reason());
        assertEquals(Certainty.POSSIBLE, failed.certainty());
        assertEquals(chain, failed.chain());
        assertTrue(clock.now.isBefore(lastStart), "the last look before the deadline less the margin: " + clock.now);
        assertFalse(clock.now.plus(POLL).isBefore(lastStart), "looked as long as a park fitted: " + clock.now);
    }

    // --- connections sharing trust

    @Test
    void twoConnectionsBetweenTheSameDeployments_theFirstUndoKeepsWhatTheSecondNeeds() {
        JsonNode localBefore = local.trust.deepCopy();
        JsonNode remoteBefore = remote.trust.deepCopy();
        String first = connection;
        handle(requested(LOCAL, REMOTE, false));
        connection = UUID.randomUUID().toString();
        String second = connection;
        handle(requested(LOCAL, REMOTE, false));
        assertEquals(List.of(), assertInstanceOf(TrustUpdated.class, outbox.published.get(1)).edits(),
                "the second found everything in place");
        JsonNode localShared = local.trust.deepCopy();

        connection = first;
        removeTrust(remoteRemoved());

        assertInstanceOf(TrustRemoved.class, outbox.published.get(2));
        assertEquals(localShared, local.trust, "the second connection still needs the entry");
        assertEquals(1, remote.trust.path("direct").size());
        assertTrue(links.edit(second, LOCAL_ID).orElseThrow().edit().created(), "handed over with the entry");
        assertEquals(localShared.path("direct").get(0).path("uid").asText(),
                links.edit(second, LOCAL_ID).orElseThrow().directUid);

        connection = second;
        removeTrust(remoteRemoved());

        assertEquals(localBefore, local.trust, "the last one out removes it");
        assertEquals(remoteBefore, remote.trust);
    }

    @Test
    void twoRemotesOfOneOrganization_eachUndoRemovesOnlyItsPeer() {
        TrustFakes.Deployment remote2 = cloud.add("2e3072e3072e3072e3072e3072e30720", "remote2", List.of(OTHER_CA),
                defaultTrust(ESS_ORG, "organization"));
        DeploymentInfo remote2Info = new DeploymentInfo("ess", "2e3072e3072e3072e3072e3072e30720",
                "main-elasticsearch", "2222333344445555666677778888aaaa", "127.0.10.4", "8.19.21", "ESS", ESS_ORG,
                9400);
        JsonNode localBefore = local.trust.deepCopy();
        JsonNode remote2Before = remote2.trust.deepCopy();
        String first = connection;
        handle(requested(LOCAL, REMOTE, false));
        connection = UUID.randomUUID().toString();
        String second = connection;
        handle(requested(LOCAL, remote2Info, false));
        TrustEdit appended = assertInstanceOf(TrustUpdated.class, outbox.published.get(1)).edits().get(0);
        assertEquals(List.of("2222333344445555666677778888aaaa"), appended.addedClusterIds());

        connection = first;
        removeTrust(remoteRemoved());

        JsonNode entry = single(local.trust.path("direct"));
        assertEquals(TrustFakes.json("['2222333344445555666677778888aaaa']"), entry.path("trust_allowlist"));
        assertEquals(OTHER_CA, single(entry.path("certificates")).path("pem").asText());

        connection = second;
        removeTrust(remoteRemoved());

        assertEquals(localBefore, local.trust);
        assertEquals(remote2Before, remote2.trust);
    }

    @Test
    void aConnectionBeingCompensated_isNoHeir() {
        JsonNode localBefore = local.trust.deepCopy();
        String first = connection;
        handle(requested(LOCAL, REMOTE, false));
        connection = UUID.randomUUID().toString();
        handle(requested(LOCAL, REMOTE, false));
        undo.compensationStarted(started()); // the second is being undone too

        connection = first;
        removeTrust(remoteRemoved());

        assertEquals(localBefore, local.trust, "nobody live needs the entry any more");
    }

    // --- helpers

    private ConnectionRequested requested(DeploymentInfo from, DeploymentInfo to, boolean trustAll) {
        ConnectionRequest request = ConnectionRequest.tlsCertificate("eu-logs",
                new DeploymentRef(from.environment(), from.deploymentId(), null),
                new DeploymentRef(to.environment(), to.deploymentId(), null), true, new TrustRequest(trustAll),
                Registration.CLUSTER_SETTINGS);
        return new ConnectionRequested(UUID.randomUUID().toString(), connection, Instant.now(), request, from, to);
    }

    /** The consumer records the request; then the work items it queued run to their end. */
    private void handle(ConnectionRequested requested) {
        step.handle(requested);
        worker.runAll();
    }

    private void removeTrust(ConnectionEvent trigger) {
        undo.removeTrust(trigger);
        worker.runAll();
    }

    private CompensationStarted started() {
        return new CompensationStarted(UUID.randomUUID().toString(), connection, Instant.now(),
                CompensationCause.FAILURE, new StepFailure("search_failed", "no search", 403, false));
    }

    private RemoteRemoved remoteRemoved() {
        return new RemoteRemoved(UUID.randomUUID().toString(), connection, Instant.now(), "eu-logs", true);
    }

    /** A run of the chain that started now and ends after {@code left} on the test's clock. */
    private UndoChain chain(Duration left) {
        return new UndoChain(UUID.randomUUID().toString(), clock.instant().plus(left));
    }

    private CompensationStarted started(UndoChain chain) {
        return new CompensationStarted(chain.id(), connection, clock.instant(), CompensationCause.FAILURE,
                new StepFailure("search_failed", "no search", 403, false), chain, SecurityModel.TLS_CERTIFICATE);
    }

    private RemoteRemoved remoteRemoved(UndoChain chain) {
        return new RemoteRemoved(UUID.randomUUID().toString(), connection, clock.instant(), "eu-logs", true, null,
                chain);
    }

    private static RuntimeException unavailable() {
        return ElasticCallException.fromResponse(503,
                "{\"errors\":[{\"code\":\"root.unavailable\",\"message\":\"try again\"}]}");
    }

    private TrustLink link() {
        TrustLink link = links.rows.get(connection);
        assertNotNull(link);
        return link;
    }

    private static String defaultTrust(String account, String what) {
        return "{'accounts':[{'account_id':'" + account + "','name':'Default trust for own " + what + "',"
                + "'trust_all':true,'trust_allowlist':[]}],'external':[],'direct':[]}";
    }

    private static JsonNode single(JsonNode array) {
        assertEquals(1, array.size(), array.toString());
        return array.get(0);
    }

    private static <T> T single(List<T> items) {
        assertEquals(1, items.size(), items.toString());
        return items.get(0);
    }

    static String pem(String name) {
        try (InputStream in = CertificateTrustServiceTest.class.getResourceAsStream("/certs/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
