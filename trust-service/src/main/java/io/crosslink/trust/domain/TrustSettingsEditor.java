package io.crosslink.trust.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crosslink.events.TrustEdit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Read-modify-write of an {@code ElasticsearchClusterTrustSettings} object ({@code accounts}, {@code external},
 * {@code direct}), pure: JSON in, JSON out. The Cloud API replaces the whole trust object on update, and tools
 * that rebuild it from a model lose names, uids and entries they do not know; so every edit works on a copy of
 * what was read and touches only the one entry it is about, and within it only the allow-list, {@code trust_all}
 * and certificates. Everything else (other entries, {@code external}, names, uids, {@code additional_node_names},
 * certificate metadata, fields this code does not know) goes back exactly as read.
 */
public final class TrustSettingsEditor {
    static final String ACCOUNT_ID = "account_id";
    static final String SCOPE_ID = "scope_id";
    static final String TRUST_ALL = "trust_all";
    static final String ALLOWLIST = "trust_allowlist";
    static final String CERTIFICATES = "certificates";
    /** A direct entry without {@code type} is {@code generic} (the API's default). */
    static final String DEFAULT_TYPE = "generic";

    private TrustSettingsEditor() {
    }

    /**
     * Makes {@code current} trust the target's peer, adding as little as possible: nothing when it already does
     * (a noop edit), else the peer's cluster id (or {@code trust_all}) and, for {@code direct}, its CA certificates
     * missing from the entry, or a new entry when there is none for the peer's account.
     */
    public static TrustPlan plan(JsonNode current, TrustTarget target) {
        ObjectNode trust = copy(current);
        TrustEdit edit = target.sameAccount() ? planAccounts(trust, target) : planDirect(trust, target);
        return new TrustPlan(edit, trust, !trust.equals(current));
    }

    /**
     * {@link #plan} for a replay whose earlier write may have landed (a crash after the PUT, a timeout): the
     * recorded edit stays what this saga owns, extended by whatever is still missing now. Recomputing alone would
     * see the saga's own entry as "already trusted" and the undo would leave it behind. When the entry is gone
     * altogether (removed by someone since), it is created again and the edit says so.
     */
    public static TrustPlan reapply(JsonNode current, TrustEdit recorded, TrustTarget target) {
        TrustPlan fresh = plan(current, target);
        if (recorded == null || find(current, target.entry(), target.scopeId(), target.peerKind(), null) == null) {
            return fresh;
        }
        TrustEdit owned = normalized(recorded);
        TrustEdit merged = owned.created() ? owned : union(owned, fresh.edit());
        return new TrustPlan(merged, fresh.trust(), fresh.changed());
    }

    /**
     * Removes from {@code current} exactly what {@code edit} added: the entry it created (matched by
     * {@code account_id}, or for {@code direct} by {@code uid} when known, else by {@code type} and
     * {@code scope_id}), or the cluster ids and certificates it appended, and {@code trust_all} back to false if
     * it set it. Whatever is not there any more is not an error (the undo may run again).
     */
    public static TrustPlan undo(JsonNode current, TrustEdit edit, String directType, String directUid) {
        ObjectNode trust = copy(current);
        TrustEdit owned = normalized(edit);
        if (!owned.noop()) {
            ArrayNode entries = trust.path(owned.entry()) instanceof ArrayNode array ? array : null;
            int index = indexOf(entries, owned.entry(), owned.scopeId(), directType, directUid);
            if (index >= 0) {
                if (owned.created()) {
                    entries.remove(index);
                } else {
                    removeAdditions((ObjectNode) entries.get(index), owned);
                }
            }
        }
        return new TrustPlan(owned, trust, !trust.equals(current));
    }

    /**
     * {@link #undo} for an entry that other live connections rely on too ({@code others}; their stakes in other
     * entries are ignored). Without them, the plain undo. With them, only what none of them needs goes: this
     * connection's peer's cluster id and CA certificates unless another's peer is the same, {@code trust_all} unless
     * another asked for it (and then the others' peers are put in the allow-list instead). The entry itself stays
     * if this connection created it. What stays is handed over to the others ({@link SharedUndo#handedOver}), so the
     * last connection out removes it. {@code us}: this connection's stake (its peer, and whether it asked for
     * {@code trust_all}).
     */
    public static SharedUndo undoShared(JsonNode current, TrustShare us, String directType, String directUid,
            List<TrustShare> others) {
        TrustEdit owned = us.edit();
        List<TrustShare> sharing = others.stream().filter(other -> other.sameEntryAs(owned)).toList();
        if (owned.noop() || sharing.isEmpty()) {
            return new SharedUndo(undo(current, owned, directType, directUid), Map.of());
        }
        ObjectNode trust = copy(current);
        ArrayNode entries = trust.path(owned.entry()) instanceof ArrayNode array ? array : null;
        int index = indexOf(entries, owned.entry(), owned.scopeId(), directType, directUid);
        if (index < 0) {
            return new SharedUndo(new TrustPlan(owned, trust, false), Map.of());
        }
        ObjectNode entry = (ObjectNode) entries.get(index);
        Set<String> neededIds = new LinkedHashSet<>();
        Set<String> neededCertificates = new HashSet<>();
        boolean neededTrustAll = false;
        for (TrustShare other : sharing) {
            if (other.trustAll()) {
                neededTrustAll = true;
            } else {
                neededIds.add(other.peerClusterId());
            }
            neededCertificates.addAll(other.peerFingerprints());
        }
        // This connection's part of the entry: all of it for its peer when it created the entry, else what it added.
        List<String> ourIds = owned.created() ? List.of(us.peerClusterId()) : owned.addedClusterIds();
        List<String> ourCertificates = owned.created() ? List.copyOf(us.peerFingerprints()) : owned.addedCertificates();
        boolean ourTrustAll = owned.created() ? us.trustAll() && entry.path(TRUST_ALL).asBoolean(false)
                : owned.trustAllSet();
        TrustEdit removal = new TrustEdit(owned.deploymentId(), owned.peerDeploymentId(), owned.entry(),
                owned.scopeId(), false, ourTrustAll && !neededTrustAll,
                ourIds.stream().filter(id -> !neededIds.contains(id)).toList(),
                ourCertificates.stream().filter(fingerprint -> !neededCertificates.contains(fingerprint)).toList());
        removeAdditions(entry, removal);

        Map<String, TrustEdit> handedOver = new LinkedHashMap<>();
        if (removal.trustAllSet()) {
            // The others relied on trust_all for their peers: name them instead.
            for (TrustShare other : sharing) {
                if (!other.trustAll() && !texts(entry.path(ALLOWLIST)).contains(other.peerClusterId())) {
                    arrayOf(entry, ALLOWLIST).add(other.peerClusterId());
                    handedOver.put(other.connectionId(), merge(handedOver.getOrDefault(other.connectionId(),
                            other.edit()), false, false, List.of(other.peerClusterId()), List.of()));
                }
            }
        }
        TrustShare heir = sharing.get(0);
        handedOver.put(heir.connectionId(), merge(handedOver.getOrDefault(heir.connectionId(), heir.edit()),
                owned.created(), ourTrustAll && neededTrustAll,
                ourIds.stream().filter(neededIds::contains).toList(),
                ourCertificates.stream().filter(neededCertificates::contains).toList()));
        return new SharedUndo(new TrustPlan(owned, trust, !trust.equals(current)), handedOver);
    }

    /** The {@code uid} the Cloud API gave the {@code direct} entry an edit is about, once written. */
    public static Optional<String> directUid(JsonNode trust, TrustEdit edit, String directType) {
        if (!TrustEdit.DIRECT.equals(edit.entry())) {
            return Optional.empty();
        }
        ObjectNode entry = find(trust, TrustEdit.DIRECT, edit.scopeId(), directType, null);
        return entry == null || !entry.path("uid").isTextual() ? Optional.empty()
                : Optional.of(entry.path("uid").asText());
    }

    /** The edit with empty lists instead of nulls (JSON omits empty lists), so edits compare by value. */
    public static TrustEdit normalized(TrustEdit edit) {
        if (edit == null) {
            return null;
        }
        return new TrustEdit(edit.deploymentId(), edit.peerDeploymentId(), edit.entry(), edit.scopeId(),
                edit.created(), edit.trustAllSet(), listOrEmpty(edit.addedClusterIds()),
                listOrEmpty(edit.addedCertificates()));
    }

    // --- planning

    private static TrustEdit planAccounts(ObjectNode trust, TrustTarget target) {
        String clusterId = target.peerClusterId();
        ObjectNode entry = find(trust, TrustEdit.ACCOUNTS, target.scopeId(), null, null);
        if (entry == null) {
            ObjectNode created = arrayOf(trust, TrustEdit.ACCOUNTS).addObject();
            created.put(ACCOUNT_ID, target.scopeId());
            created.put(TRUST_ALL, target.trustAll());
            ArrayNode allowlist = created.putArray(ALLOWLIST);
            if (!target.trustAll()) {
                allowlist.add(clusterId);
            }
            return edit(target, true, false, List.of(), List.of());
        }
        if (entry.path(TRUST_ALL).asBoolean(false)) {
            return edit(target, false, false, List.of(), List.of());
        }
        if (target.trustAll()) {
            entry.put(TRUST_ALL, true);
            return edit(target, false, true, List.of(), List.of());
        }
        if (texts(entry.path(ALLOWLIST)).contains(clusterId)) {
            return edit(target, false, false, List.of(), List.of());
        }
        arrayOf(entry, ALLOWLIST).add(clusterId);
        return edit(target, false, false, List.of(clusterId), List.of());
    }

    private static TrustEdit planDirect(ObjectNode trust, TrustTarget target) {
        if (target.peerCertificates().isEmpty()) {
            throw new IllegalArgumentException("a direct trust entry needs the peer's CA certificate");
        }
        String clusterId = target.peerClusterId();
        ObjectNode entry = find(trust, TrustEdit.DIRECT, target.scopeId(), target.peerKind(), null);
        if (entry == null) {
            ObjectNode created = arrayOf(trust, TrustEdit.DIRECT).addObject();
            created.put("name", target.directName());
            created.put("type", target.peerKind());
            created.put(SCOPE_ID, target.scopeId());
            created.put(TRUST_ALL, target.trustAll());
            ArrayNode allowlist = created.putArray(ALLOWLIST);
            if (!target.trustAll()) {
                allowlist.add(clusterId);
            }
            ArrayNode certificates = created.putArray(CERTIFICATES);
            target.peerCertificates().forEach(pem -> certificates.addObject().put("pem", pem));
            return edit(target, true, false, List.of(), List.of());
        }
        boolean trustAllSet = false;
        List<String> addedClusterIds = new ArrayList<>();
        if (!entry.path(TRUST_ALL).asBoolean(false)) {
            if (target.trustAll()) {
                entry.put(TRUST_ALL, true);
                trustAllSet = true;
            } else if (!texts(entry.path(ALLOWLIST)).contains(clusterId)) {
                arrayOf(entry, ALLOWLIST).add(clusterId);
                addedClusterIds.add(clusterId);
            }
        }
        Set<String> present = fingerprints(entry.path(CERTIFICATES));
        List<String> addedCertificates = new ArrayList<>();
        for (String pem : target.peerCertificates()) {
            String fingerprint = Certificates.fingerprint(pem)
                    .orElseThrow(() -> new IllegalArgumentException("the peer's CA certificate does not parse"));
            if (present.add(fingerprint)) {
                arrayOf(entry, CERTIFICATES).addObject().put("pem", pem);
                addedCertificates.add(fingerprint);
            }
        }
        return edit(target, false, trustAllSet, addedClusterIds, addedCertificates);
    }

    private static TrustEdit edit(TrustTarget target, boolean created, boolean trustAllSet, List<String> clusterIds,
            List<String> certificates) {
        return new TrustEdit(target.deploymentId(), target.peerDeploymentId(), target.entry(), target.scopeId(),
                created, trustAllSet, List.copyOf(clusterIds), List.copyOf(certificates));
    }

    /** {@code edit} extended by what it takes over; a created entry stays created. */
    private static TrustEdit merge(TrustEdit edit, boolean created, boolean trustAllSet, List<String> clusterIds,
            List<String> certificates) {
        TrustEdit base = normalized(edit);
        boolean nowCreated = base.created() || created;
        return new TrustEdit(base.deploymentId(), base.peerDeploymentId(), base.entry(), base.scopeId(), nowCreated,
                !nowCreated && (base.trustAllSet() || trustAllSet),
                nowCreated ? List.of() : distinct(base.addedClusterIds(), clusterIds),
                nowCreated ? List.of() : distinct(base.addedCertificates(), certificates));
    }

    private static TrustEdit union(TrustEdit owned, TrustEdit more) {
        return new TrustEdit(owned.deploymentId(), owned.peerDeploymentId(), owned.entry(), owned.scopeId(), false,
                owned.trustAllSet() || more.trustAllSet(), distinct(owned.addedClusterIds(), more.addedClusterIds()),
                distinct(owned.addedCertificates(), more.addedCertificates()));
    }

    // --- undoing

    private static void removeAdditions(ObjectNode entry, TrustEdit edit) {
        if (edit.trustAllSet() && entry.path(TRUST_ALL).asBoolean(false)) {
            entry.put(TRUST_ALL, false);
        }
        if (entry.path(ALLOWLIST) instanceof ArrayNode allowlist) {
            for (int i = allowlist.size() - 1; i >= 0; i--) {
                if (edit.addedClusterIds().contains(allowlist.get(i).asText())) {
                    allowlist.remove(i);
                }
            }
        }
        if (entry.path(CERTIFICATES) instanceof ArrayNode certificates) {
            for (int i = certificates.size() - 1; i >= 0; i--) {
                Optional<String> fingerprint = Certificates.fingerprintOf(certificates.get(i));
                // Never the last one: a direct entry needs a certificate, and this one was there before the saga.
                if (certificates.size() > 1 && fingerprint.isPresent()
                        && edit.addedCertificates().contains(fingerprint.get())) {
                    certificates.remove(i);
                }
            }
        }
    }

    // --- lookup

    private static ObjectNode find(JsonNode trust, String entry, String scopeId, String directType, String uid) {
        ArrayNode entries = trust != null && trust.path(entry) instanceof ArrayNode array ? array : null;
        int index = indexOf(entries, entry, scopeId, directType, uid);
        return index < 0 ? null : (ObjectNode) entries.get(index);
    }

    /**
     * The entry for an account: {@code accounts} by {@code account_id}; {@code direct} by {@code uid} when given and
     * present, else the first of the type with that {@code scope_id}.
     */
    private static int indexOf(ArrayNode entries, String entry, String scopeId, String directType, String uid) {
        if (entries == null || scopeId == null) {
            return -1;
        }
        boolean direct = TrustEdit.DIRECT.equals(entry);
        if (direct && uid != null) {
            for (int i = 0; i < entries.size(); i++) {
                if (entries.get(i).isObject() && uid.equals(entries.get(i).path("uid").asText(null))) {
                    return i;
                }
            }
        }
        for (int i = 0; i < entries.size(); i++) {
            JsonNode item = entries.get(i);
            if (!item.isObject()) {
                continue;
            }
            boolean matches = direct
                    ? scopeId.equals(item.path(SCOPE_ID).asText(null))
                            && (directType == null || directType.equals(item.path("type").asText(DEFAULT_TYPE)))
                    : scopeId.equals(item.path(ACCOUNT_ID).asText(null));
            if (matches) {
                return i;
            }
        }
        return -1;
    }

    // --- JSON helpers

    private static ObjectNode copy(JsonNode current) {
        return current instanceof ObjectNode object ? object.deepCopy() : JsonNodeFactory.instance.objectNode();
    }

    /** The array field, created (or replacing a null) when missing: only called when something is added. */
    private static ArrayNode arrayOf(ObjectNode parent, String field) {
        return parent.get(field) instanceof ArrayNode array ? array : parent.putArray(field);
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        if (array.isArray()) {
            array.forEach(value -> values.add(value.asText()));
        }
        return values;
    }

    private static Set<String> fingerprints(JsonNode certificates) {
        Set<String> fingerprints = new HashSet<>();
        if (certificates.isArray()) {
            certificates.forEach(certificate -> Certificates.fingerprintOf(certificate).ifPresent(fingerprints::add));
        }
        return fingerprints;
    }

    private static List<String> distinct(List<String> first, List<String> second) {
        Set<String> all = new LinkedHashSet<>(first);
        all.addAll(second);
        return List.copyOf(all);
    }

    private static List<String> listOrEmpty(List<String> values) {
        return values == null ? List.of() : List.copyOf(values);
    }
}
