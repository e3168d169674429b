package io.crosslink.key.service;

import io.crosslink.key.client.ApiKeyInfo;
import io.crosslink.key.client.CreatedApiKey;
import io.crosslink.key.client.CrossClusterApiKeyRequest;
import io.crosslink.elastic.ElasticCallException;
import io.crosslink.key.client.ElasticClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The security API of one Elasticsearch deployment, in memory, for step logic tests without servers: keys
 * with name, metadata, request and encoded value; failures to play on the next calls.
 */
class FakeElasticClient implements ElasticClient {

    static final class StoredKey {
        final String id;
        final String deploymentId;
        final CrossClusterApiKeyRequest request;
        final String encoded;
        boolean active = true;

        StoredKey(String id, String deploymentId, CrossClusterApiKeyRequest request, String encoded) {
            this.id = id;
            this.deploymentId = deploymentId;
            this.request = request;
            this.encoded = encoded;
        }
    }

    /** What the next create does before answering (or instead). */
    interface CreateFailure {
        /** Throws, after storing the key or not; or does something meanwhile and lets the create answer. */
        void apply(StoredKey created);
    }

    final Map<String, StoredKey> keys = new LinkedHashMap<>();
    final List<String> calls = new ArrayList<>();
    private final Deque<CreateFailure> createFailures = new ArrayDeque<>();
    private final Deque<ElasticCallException> lookupFailures = new ArrayDeque<>();
    private final Map<Integer, ElasticCallException> lookupFailuresAt = new HashMap<>();
    private int lookups;
    private final Deque<ElasticCallException> lostInvalidateAnswers = new ArrayDeque<>();
    private final Deque<Runnable> duringLookups = new ArrayDeque<>();
    private final Deque<ElasticCallException> invalidateFailures = new ArrayDeque<>();

    /** The next {@code GET /_security/api_key} fails with this error. */
    void failNextLookup(ElasticCallException error) {
        lookupFailures.add(error);
    }

    /** While the next {@code GET /_security/api_key} runs (before it answers), {@code meanwhile} happens. */
    void duringNextLookup(Runnable meanwhile) {
        duringLookups.add(meanwhile);
    }

    /** The {@code nth} {@code GET /_security/api_key} from now (1: the next) fails with this error. */
    void failLookup(int nth, ElasticCallException error) {
        lookupFailuresAt.put(lookups + nth, error);
    }

    /** The next invalidation takes effect, then its answer is lost: {@code error} is thrown instead. */
    void loseNextInvalidateAnswer(ElasticCallException error) {
        lostInvalidateAnswers.add(error);
    }

    /** The next {@code DELETE /_security/api_key} fails with this error and invalidates nothing. */
    void failNextInvalidate(ElasticCallException error) {
        invalidateFailures.add(error);
    }

    /** The next create fails with this error and creates nothing. */
    void failNextCreate(ElasticCallException error) {
        createFailures.add(created -> {
            keys.remove(created.id);
            throw error;
        });
    }

    /** The next create makes the key on Elasticsearch, but its answer is lost (e.g. a read timeout). */
    void loseNextCreateAnswer(ElasticCallException error) {
        createFailures.add(created -> {
            throw error;
        });
    }

    /** While the next create runs (the key exists on R, the answer is on its way), {@code meanwhile} happens. */
    void duringNextCreate(Runnable meanwhile) {
        createFailures.add(created -> meanwhile.run());
    }

    /** A key already on the deployment (created by an earlier attempt, or by someone else). */
    StoredKey existing(String deploymentId, CrossClusterApiKeyRequest request) {
        String id = UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        StoredKey key = new StoredKey(id, deploymentId, request, encode(id));
        keys.put(key.id, key);
        return key;
    }

    List<StoredKey> active(String name) {
        return keys.values().stream().filter(k -> k.active && k.request.name().equals(name)).toList();
    }

    @Override
    public CreatedApiKey createCrossClusterApiKey(String deploymentId, CrossClusterApiKeyRequest request) {
        calls.add("POST /_security/cross_cluster/api_key " + request.name());
        StoredKey key = existing(deploymentId, request);
        CreateFailure failure = createFailures.poll();
        if (failure != null) {
            failure.apply(key);
        }
        return new CreatedApiKey(key.id, request.name(), key.encoded);
    }

    @Override
    public List<ApiKeyInfo> activeApiKeys(String deploymentId, String name) {
        calls.add("GET /_security/api_key " + name);
        Runnable meanwhile = duringLookups.poll();
        if (meanwhile != null) {
            meanwhile.run();
        }
        ElasticCallException failure = lookupFailuresAt.remove(++lookups);
        if (failure == null) {
            failure = lookupFailures.poll();
        }
        if (failure != null) {
            throw failure;
        }
        return active(name).stream()
                .filter(k -> k.deploymentId.equals(deploymentId))
                .map(k -> new ApiKeyInfo(k.id, k.request.name(), Map.copyOf(k.request.metadata())))
                .toList();
    }

    @Override
    public List<String> invalidateApiKeys(String deploymentId, List<String> ids) {
        calls.add("DELETE /_security/api_key " + ids);
        ElasticCallException failure = invalidateFailures.poll();
        if (failure != null) {
            throw failure;
        }
        List<String> invalidated = new ArrayList<>();
        for (String id : ids) {
            StoredKey key = keys.get(id);
            if (key != null && key.active && key.deploymentId.equals(deploymentId)) {
                key.active = false;
                invalidated.add(id);
            }
        }
        ElasticCallException lost = lostInvalidateAnswers.poll();
        if (lost != null) {
            throw lost;
        }
        return invalidated;
    }

    /** As Elasticsearch does: base64 of "id:api_key". */
    private static String encode(String id) {
        return Base64.getEncoder().encodeToString((id + ":" + UUID.randomUUID().toString().replace("-", ""))
                .getBytes(StandardCharsets.UTF_8));
    }
}
