package io.crosslink.trust.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crosslink.events.EventCodec;
import io.crosslink.events.TrustEdit;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The pure read-modify-write of trust settings: what the step adds in each case, and that the undo takes away
 * exactly that, leaving every foreign entry, name, uid, node name, unknown field and certificate as it was.
 */
class TrustSettingsEditorTest {
    static final String LOCAL = "c0ffee00a1b2c3d4e5f60718293a4b5c";
    static final String REMOTE = "0b5e55ed12345678abcdef0123456789";
    static final String LOCAL_CLUSTER = "e5f60718293a4b5cc0ffee00a1b2c3d4";
    static final String REMOTE_CLUSTER = "abcdef01234567890b5e55ed12345678";
    static final String ECE_ACCOUNT = "b7c2e0f4a9d14e6c8f3a5d2e1c0b9a87";
    static final String ESS_ORG = "4285051796";
    static final String REMOTE_CA = pem("ess-remote-ca.pem");
    static final String OTHER_CA = pem("other-ca.pem");

    /** Local (ECE) trusting remote (ESS): a direct entry. */
    static TrustTarget direct(boolean trustAll) {
        return new TrustTarget(LOCAL, REMOTE, REMOTE_CLUSTER, "ESS", ESS_ORG, "remote", false, trustAll,
                List.of(REMOTE_CA));
    }

    /** Local trusting a peer of its own ECE installation: an accounts entry. */
    static TrustTarget sameAccount(boolean trustAll) {
        return new TrustTarget(LOCAL, REMOTE, REMOTE_CLUSTER, "ECE", ECE_ACCOUNT, "peer", true, trustAll, List.of());
    }

    // --- accounts

    @Test
    void accounts_noEntry_createsOneForThePeersClusterOnly() {
        JsonNode before = json("{'accounts':[{'account_id':'" + ESS_ORG + "','name':'Default trust','trust_all':true}],"
                + "'external':[],'direct':[]}");

        TrustPlan plan = TrustSettingsEditor.plan(before, sameAccount(false));

        assertTrue(plan.changed());
        assertEquals(new TrustEdit(LOCAL, REMOTE, "accounts", ECE_ACCOUNT, true, false, List.of(), List.of()),
                plan.edit());
        assertEquals(json("{'accounts':[{'account_id':'" + ESS_ORG + "','name':'Default trust','trust_all':true},"
                + "{'account_id':'" + ECE_ACCOUNT + "','trust_all':false,'trust_allowlist':['" + REMOTE_CLUSTER
                + "']}],'external':[],'direct':[]}"), plan.trust());
        assertUndoRestores(before, plan, null);
    }

    @Test
    void accounts_noEntry_trustAll_createsOneTrustingTheWholeAccount() {
        TrustPlan plan = TrustSettingsEditor.plan(json("{'accounts':[]}"), sameAccount(true));

        assertEquals(json("{'accounts':[{'account_id':'" + ECE_ACCOUNT + "','trust_all':true,'trust_allowlist':[]}]}"),
                plan.trust());
        assertTrue(plan.edit().created());
        assertUndoRestores(json("{'accounts':[]}"), plan, null);
    }

    @Test
    void accounts_entryTrustingAll_isANoop() {
        JsonNode before = json("{'accounts':[{'account_id':'" + ECE_ACCOUNT + "','name':'Default trust for own "
                + "environment','trust_all':true,'trust_allowlist':[]}],'external':[],'direct':[]}");

        TrustPlan plan = TrustSettingsEditor.plan(before, sameAccount(false));

        assertFalse(plan.changed());
        assertTrue(plan.edit().noop());
        assertEquals(before, plan.trust());
        assertFalse(TrustSettingsEditor.undo(before, plan.edit(), null, null).changed(), "nothing to undo");
    }

    @Test
    void accounts_allowlist_appendsThePeerAndKeepsTheRest() {
        JsonNode before = json("{'accounts':[{'account_id':'" + ECE_ACCOUNT + "','name':'Ops Team','trust_all':false,"
                + "'trust_allowlist':['Cluster-A']}],'external':[{'trust_relationship_id':'rel-1','name':'Partner',"
                + "'trust_all':true}],'direct':[]}");

        TrustPlan plan = TrustSettingsEditor.plan(before, sameAccount(false));

        assertEquals(new TrustEdit(LOCAL, REMOTE, "accounts", ECE_ACCOUNT, false, false, List.of(REMOTE_CLUSTER),
                List.of()), plan.edit());
        assertEquals(json("{'accounts':[{'account_id':'" + ECE_ACCOUNT + "','name':'Ops Team','trust_all':false,"
                + "'trust_allowlist':['Cluster-A','" + REMOTE_CLUSTER + "']}],'external':[{'trust_relationship_id':"
                + "'rel-1','name':'Partner','trust_all':true}],'direct':[]}"), plan.trust());
        assertUndoRestores(before, plan, null);
    }

    @Test
    void accounts_allowlistNamingThePeer_isANoop() {
        JsonNode before = json("{'accounts':[{'account_id':'" + ECE_ACCOUNT + "','trust_all':false,"
                + "'trust_allowlist':['" + REMOTE_CLUSTER + "']}]}");

        TrustPlan plan = TrustSettingsEditor.plan(before, sameAccount(false));

        assertFalse(plan.changed());
        assertTrue(plan.edit().noop());
    }

    @Test
    void accounts_allowlist_trustAll_setsTrustAllAndTheUndoResetsIt() {
        JsonNode before = json("{'accounts':[{'account_id':'" + ECE_ACCOUNT + "','trust_all':false,"
                + "'trust_allowlist':['cluster-a']}]}");

        TrustPlan plan = TrustSettingsEditor.plan(before, sameAccount(true));

        assertEquals(new TrustEdit(LOCAL, REMOTE, "accounts", ECE_ACCOUNT, false, true, List.of(), List.of()),
                plan.edit());
        assertEquals(json("{'accounts':[{'account_id':'" + ECE_ACCOUNT + "','trust_all':true,"
                + "'trust_allowlist':['cluster-a']}]}"), plan.trust());
        assertUndoRestores(before, plan, null);
    }

    // --- direct

    @Test
    void direct_noEntry_createsOneOfThePeersKindWithItsCa() {
        JsonNode before = json("{'accounts':[{'account_id':'" + ECE_ACCOUNT + "','name':'Default trust for own "
                + "environment','trust_all':true}],'external':[],'direct':[{'uid':'u-1','name':'Self-managed',"
                + "'type':'generic','scope_id':'selfmanaged','trust_all':false,'trust_allowlist':['abc'],"
                + "'additional_node_names':['node1.example.com'],'certificates':[{'pem':" + quote(OTHER_CA) + "}]}]}");

        TrustPlan plan = TrustSettingsEditor.plan(before, direct(false));

        assertEquals(new TrustEdit(LOCAL, REMOTE, "direct", ESS_ORG, true, false, List.of(), List.of()), plan.edit());
        ObjectNode expected = (ObjectNode) before.deepCopy();
        ((com.fasterxml.jackson.databind.node.ArrayNode) expected.get("direct")).add(json("{'name':'crosslink remote',"
                + "'type':'ESS','scope_id':'" + ESS_ORG + "','trust_all':false,'trust_allowlist':['" + REMOTE_CLUSTER
                + "'],'certificates':[{'pem':" + quote(REMOTE_CA) + "}]}"));
        assertEquals(expected, plan.trust());
        assertUndoRestores(before, plan, "ESS");
    }

    @Test
    void direct_noEntry_trustAll_leavesTheAllowlistEmpty() {
        TrustPlan plan = TrustSettingsEditor.plan(json("{'accounts':[],'direct':[]}"), direct(true));

        JsonNode entry = plan.trust().path("direct").get(0);
        assertTrue(entry.path("trust_all").asBoolean());
        assertEquals(json("[]"), entry.path("trust_allowlist"));
    }

    @Test
    void direct_entryForTheAccount_getsTheClusterIdAndTheMissingCa() {
        JsonNode before = json("{'direct':[{'uid':'9f1c','name':'ESS Prod (Team X)','type':'ESS','scope_id':'"
                + ESS_ORG + "','trust_all':false,'trust_allowlist':['Other-Cluster'],'additional_node_names':"
                + "['Node-7.example.com'],'Vendor_Extension':'KEEP','certificates':[{'pem':" + quote(OTHER_CA)
                + ",'metadata':{'fingerprint':'x','valid_to':'2099-01-01T00:00:00Z'}}]}]}");

        TrustPlan plan = TrustSettingsEditor.plan(before, direct(false));

        String remoteFingerprint = Certificates.fingerprint(REMOTE_CA).orElseThrow();
        assertEquals(new TrustEdit(LOCAL, REMOTE, "direct", ESS_ORG, false, false, List.of(REMOTE_CLUSTER),
                List.of(remoteFingerprint)), plan.edit());
        JsonNode entry = plan.trust().path("direct").get(0);
        assertEquals(json("['Other-Cluster','" + REMOTE_CLUSTER + "']"), entry.path("trust_allowlist"));
        assertEquals(2, entry.path("certificates").size());
        assertEquals(before.path("direct").get(0).path("certificates").get(0), entry.path("certificates").get(0));
        assertEquals("9f1c", entry.path("uid").asText());
        assertEquals("KEEP", entry.path("Vendor_Extension").asText());
        assertEquals(json("['Node-7.example.com']"), entry.path("additional_node_names"));
        assertUndoRestores(before, plan, "ESS");
    }

    @Test
    void direct_entryTrustingThePeerWithItsCa_isANoopEvenIfThePemIsFormattedOtherwise() {
        String reformatted = REMOTE_CA.replace("\n", "\r\n");
        JsonNode before = json("{'direct':[{'name':'n','type':'ESS','scope_id':'" + ESS_ORG + "','trust_all':true,"
                + "'certificates':[{'pem':" + quote(reformatted) + "}]}]}");

        TrustPlan plan = TrustSettingsEditor.plan(before, direct(false));

        assertFalse(plan.changed());
        assertTrue(plan.edit().noop());
    }

    @Test
    void direct_entryOfAnotherType_isNotTheSagas() {
        JsonNode before = json("{'direct':[{'name':'n','type':'generic','scope_id':'" + ESS_ORG + "','trust_all':true,"
                + "'certificates':[{'pem':" + quote(OTHER_CA) + "}]}]}");

        TrustPlan plan = TrustSettingsEditor.plan(before, direct(false));

        assertTrue(plan.edit().created());
        assertEquals(2, plan.trust().path("direct").size());
        assertEquals(before.path("direct").get(0), plan.trust().path("direct").get(0));
        assertUndoRestores(before, plan, "ESS");
    }

    @Test
    void direct_withoutThePeersCa_isRefused() {
        TrustTarget noCa = direct(false).withPeerCertificates(List.of());
        assertThrows(IllegalArgumentException.class, () -> TrustSettingsEditor.plan(json("{}"), noCa));
    }

    // --- undo

    @Test
    void undo_ofACreatedDirectEntry_matchesTheUidWhenTwoShareTypeAndScope() {
        JsonNode after = json("{'direct':[{'uid':'theirs','name':'theirs','type':'ESS','scope_id':'" + ESS_ORG
                + "','trust_all':false,'trust_allowlist':['x'],'certificates':[{'pem':" + quote(OTHER_CA) + "}]},"
                + "{'uid':'ours','name':'crosslink remote','type':'ESS','scope_id':'" + ESS_ORG + "','trust_all':false,"
                + "'trust_allowlist':['" + REMOTE_CLUSTER + "'],'certificates':[{'pem':" + quote(REMOTE_CA) + "}]}]}");
        TrustEdit created = new TrustEdit(LOCAL, REMOTE, "direct", ESS_ORG, true, false, List.of(), List.of());

        TrustPlan undo = TrustSettingsEditor.undo(after, created, "ESS", "ours");

        assertEquals(1, undo.trust().path("direct").size());
        assertEquals("theirs", undo.trust().path("direct").get(0).path("uid").asText());
    }

    @Test
    void undo_removesOnlyTheSagasIdsAndCertificates_whateverWasAddedSince() {
        String remoteFingerprint = Certificates.fingerprint(REMOTE_CA).orElseThrow();
        JsonNode now = json("{'accounts':[{'account_id':'" + ECE_ACCOUNT + "','trust_all':true}],"
                + "'direct':[{'uid':'u','name':'Mixed','type':'ESS','scope_id':'" + ESS_ORG + "','trust_all':false,"
                + "'trust_allowlist':['added-later','" + REMOTE_CLUSTER + "','Before'],"
                + "'certificates':[{'pem':" + quote(OTHER_CA) + "},{'pem':" + quote(REMOTE_CA)
                + ",'metadata':{'fingerprint':'" + remoteFingerprint + "'}}]}]}");
        TrustEdit appended = new TrustEdit(LOCAL, REMOTE, "direct", ESS_ORG, false, false, List.of(REMOTE_CLUSTER),
                List.of(remoteFingerprint));

        TrustPlan undo = TrustSettingsEditor.undo(now, appended, "ESS", null);

        assertTrue(undo.changed());
        assertEquals(json("{'accounts':[{'account_id':'" + ECE_ACCOUNT + "','trust_all':true}],"
                + "'direct':[{'uid':'u','name':'Mixed','type':'ESS','scope_id':'" + ESS_ORG + "','trust_all':false,"
                + "'trust_allowlist':['added-later','Before'],'certificates':[{'pem':" + quote(OTHER_CA) + "}]}]}"),
                undo.trust());
        assertFalse(TrustSettingsEditor.undo(undo.trust(), appended, "ESS", null).changed(), "a second undo: nothing");
    }

    @Test
    void undo_whenTheEntryIsGone_changesNothing() {
        JsonNode now = json("{'accounts':[{'account_id':'" + ESS_ORG + "','trust_all':true}]}");
        TrustEdit created = new TrustEdit(LOCAL, REMOTE, "accounts", ECE_ACCOUNT, true, false, List.of(), List.of());

        assertFalse(TrustSettingsEditor.undo(now, created, null, null).changed());
    }

    // --- undo of an entry other live connections rely on

    static final String REMOTE2_CLUSTER = "0000111122223333444455556666aaaa";

    static TrustShare share(String connection, TrustEdit edit, String peerCluster, String peerCa, boolean trustAll) {
        return new TrustShare(connection, edit, peerCluster, peerCa == null ? java.util.Set.of()
                : java.util.Set.of(Certificates.fingerprint(peerCa).orElseThrow()), trustAll);
    }

    @Test
    void sharedUndo_ofACreatedEntryAnotherConnectionToTheSamePeerNeeds_changesNothingAndHandsTheEntryOver() {
        TrustPlan first = TrustSettingsEditor.plan(json("{'direct':[]}"), direct(false));
        TrustEdit noop = new TrustEdit(LOCAL, REMOTE, "direct", ESS_ORG, false, false, List.of(), List.of());

        SharedUndo undo = TrustSettingsEditor.undoShared(first.trust(), share("a", first.edit(), REMOTE_CLUSTER,
                REMOTE_CA, false), "ESS", null, List.of(share("b", noop, REMOTE_CLUSTER, REMOTE_CA, false)));

        assertFalse(undo.plan().changed());
        assertEquals(java.util.Map.of("b", new TrustEdit(LOCAL, REMOTE, "direct", ESS_ORG, true, false, List.of(),
                List.of())), undo.handedOver());
        // The last one out deletes it.
        assertEquals(json("{'direct':[]}"), TrustSettingsEditor.undo(first.trust(), undo.handedOver().get("b"), "ESS",
                null).trust());
    }

    @Test
    void sharedUndo_ofACreatedEntryAnotherPeerOfTheSameAccountWasAddedTo_removesOnlyOurPeer() {
        TrustPlan first = TrustSettingsEditor.plan(json("{'direct':[]}"), direct(false));
        TrustTarget second = new TrustTarget(LOCAL, "r2", REMOTE2_CLUSTER, "ESS", ESS_ORG, "r2", false, false,
                List.of(OTHER_CA));
        TrustPlan appended = TrustSettingsEditor.plan(first.trust(), second);
        assertEquals(List.of(REMOTE2_CLUSTER), appended.edit().addedClusterIds());

        SharedUndo undo = TrustSettingsEditor.undoShared(appended.trust(), share("a", first.edit(), REMOTE_CLUSTER,
                REMOTE_CA, false), "ESS", null, List.of(share("b", appended.edit(), REMOTE2_CLUSTER, OTHER_CA,
                        false)));

        JsonNode entry = undo.plan().trust().path("direct").get(0);
        assertEquals(json("['" + REMOTE2_CLUSTER + "']"), entry.path("trust_allowlist"));
        assertEquals(1, entry.path("certificates").size());
        assertEquals(Certificates.fingerprint(OTHER_CA), Certificates.fingerprintOf(entry.path("certificates").get(0)));
        assertTrue(undo.handedOver().get("b").created(), "b owns the entry now");
    }

    @Test
    void sharedUndo_ofTrustAllOthersRelyOn_namesTheirPeersInstead() {
        JsonNode before = json("{'accounts':[{'account_id':'" + ECE_ACCOUNT + "','trust_all':false,"
                + "'trust_allowlist':[]}]}");
        TrustPlan ours = TrustSettingsEditor.plan(before, sameAccount(true));
        TrustEdit theirNoop = new TrustEdit(LOCAL, "p2", "accounts", ECE_ACCOUNT, false, false, List.of(), List.of());
        TrustEdit thirdNoop = new TrustEdit(LOCAL, "p3", "accounts", ECE_ACCOUNT, false, false, List.of(), List.of());

        SharedUndo undo = TrustSettingsEditor.undoShared(ours.trust(), share("a", ours.edit(), REMOTE_CLUSTER, null,
                true), null, null, List.of(share("b", theirNoop, "cluster-p2", null, false),
                        share("c", thirdNoop, "cluster-p3", null, false)));

        assertEquals(json("{'accounts':[{'account_id':'" + ECE_ACCOUNT + "','trust_all':false,"
                + "'trust_allowlist':['cluster-p2','cluster-p3']}]}"), undo.plan().trust());
        assertEquals(List.of("cluster-p2"), undo.handedOver().get("b").addedClusterIds());
        assertEquals(List.of("cluster-p3"), undo.handedOver().get("c").addedClusterIds());
        // Both gone later: back to what was there before any of them.
        JsonNode afterB = TrustSettingsEditor.undo(undo.plan().trust(), undo.handedOver().get("b"), null, null).trust();
        assertEquals(before, TrustSettingsEditor.undo(afterB, undo.handedOver().get("c"), null, null).trust());
    }

    @Test
    void sharedUndo_ignoresStakesInOtherEntries() {
        TrustPlan first = TrustSettingsEditor.plan(json("{'direct':[]}"), direct(false));
        TrustEdit elsewhere = new TrustEdit(LOCAL, "x", "accounts", ECE_ACCOUNT, false, false, List.of("x"), List.of());

        SharedUndo undo = TrustSettingsEditor.undoShared(first.trust(), share("a", first.edit(), REMOTE_CLUSTER,
                REMOTE_CA, false), "ESS", null, List.of(share("b", elsewhere, "x", null, false)));

        assertEquals(json("{'direct':[]}"), undo.plan().trust());
        assertTrue(undo.handedOver().isEmpty());
    }

    // --- replay

    @Test
    void reapply_afterTheWriteLanded_keepsTheRecordedEdit() {
        JsonNode before = json("{'accounts':[{'account_id':'" + ECE_ACCOUNT + "','trust_all':false,"
                + "'trust_allowlist':['cluster-a']}]}");
        TrustPlan first = TrustSettingsEditor.plan(before, sameAccount(false));

        // The PUT landed, the service crashed before recording the outcome: recomputing would find nothing to add.
        assertTrue(TrustSettingsEditor.plan(first.trust(), sameAccount(false)).edit().noop());
        TrustPlan replay = TrustSettingsEditor.reapply(first.trust(), first.edit(), sameAccount(false));

        assertFalse(replay.changed());
        assertEquals(first.edit(), replay.edit());
    }

    @Test
    void reapply_ofACreatedEntry_thatLanded_staysCreated() {
        TrustPlan first = TrustSettingsEditor.plan(json("{'direct':[]}"), direct(false));

        TrustPlan replay = TrustSettingsEditor.reapply(first.trust(), first.edit(), direct(false));

        assertFalse(replay.changed());
        assertTrue(replay.edit().created());
    }

    @Test
    void reapply_whenTheWriteDidNotLand_writesItAgain() {
        JsonNode before = json("{'accounts':[{'account_id':'" + ECE_ACCOUNT + "','trust_all':false,"
                + "'trust_allowlist':[]}]}");
        TrustPlan first = TrustSettingsEditor.plan(before, sameAccount(false));

        TrustPlan replay = TrustSettingsEditor.reapply(before, first.edit(), sameAccount(false));

        assertTrue(replay.changed());
        assertEquals(first.trust(), replay.trust());
        assertEquals(first.edit(), replay.edit());
    }

    @Test
    void reapply_whenTheEntryWasRemovedMeanwhile_createsItAndOwnsIt() {
        TrustEdit appended = new TrustEdit(LOCAL, REMOTE, "accounts", ECE_ACCOUNT, false, false,
                List.of(REMOTE_CLUSTER), List.of());

        TrustPlan replay = TrustSettingsEditor.reapply(json("{'accounts':[]}"), appended, sameAccount(false));

        assertTrue(replay.changed());
        assertTrue(replay.edit().created());
    }

    @Test
    void normalized_readsOmittedListsAsEmpty() {
        TrustEdit decoded = EventCodec.read(EventCodec.encode(new TrustEdit(LOCAL, REMOTE, "accounts", ECE_ACCOUNT,
                true, false, List.of(), List.of())), TrustEdit.class);

        assertEquals(new TrustEdit(LOCAL, REMOTE, "accounts", ECE_ACCOUNT, true, false, List.of(), List.of()),
                TrustSettingsEditor.normalized(decoded));
    }

    // --- helpers

    /** The undo of the plan's edit, applied to what the plan wrote, gives back exactly what was read. */
    private static void assertUndoRestores(JsonNode before, TrustPlan plan, String directType) {
        TrustPlan undo = TrustSettingsEditor.undo(plan.trust(), plan.edit(), directType, null);
        assertTrue(undo.changed());
        assertEquals(before, undo.trust());
    }

    static JsonNode json(String singleQuoted) {
        try {
            return EventCodec.mapper().readTree(singleQuoted.replace('\'', '"'));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JSON string literal whose quotes survive {@link #json}'s quote swap (PEM has no quotes). */
    static String quote(String text) {
        return "'" + text.replace("\r", "\\r").replace("\n", "\\n") + "'";
    }

    static String pem(String name) {
        try (InputStream in = TrustSettingsEditorTest.class.getResourceAsStream("/certs/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
