package io.crosslink.verify.support;

import io.crosslink.elastic.ElasticAnswer;
import io.crosslink.elastic.ElasticCallException;
import io.crosslink.verify.client.ElasticsearchClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Plays Elasticsearch for unit tests with answers recorded on a real 8.19 node (src/test/resources/es/, alias
 * {@code linked}): per path a script of answers, the last one repeating.
 */
public final class FakeElasticsearch implements ElasticsearchClient {
    private final Map<String, Deque<Object>> script = new HashMap<>();
    private final List<String> calls = new ArrayList<>();
    /** The version each {@code _resolve/cluster} call was told L runs. */
    private final List<String> resolveVersions = new ArrayList<>();
    private java.util.function.Consumer<String> beforeEachCall = path -> { };

    /** Runs {@code hook} with the path before every call (to act meanwhile, or to throw as a broken client would). */
    public FakeElasticsearch beforeEachCall(java.util.function.Consumer<String> hook) {
        this.beforeEachCall = hook;
        return this;
    }

    public List<String> resolveVersions() {
        return List.copyOf(resolveVersions);
    }

    /** Scripts the answers to GET {@code path}; an answer is an {@link ElasticAnswer} or an {@link ElasticCallException}. */
    public FakeElasticsearch on(String path, Object... answers) {
        script.put(path, new ArrayDeque<>(List.of(answers)));
        return this;
    }

    @Override
    public ElasticAnswer resolveCluster(String deploymentId, String version, String expression) {
        resolveVersions.add(version);
        return get(deploymentId, "/_resolve/cluster/" + expression);
    }

    @Override
    public ElasticAnswer remoteInfo(String deploymentId) {
        return get(deploymentId, "/_remote/info");
    }

    @Override
    public ElasticAnswer search(String deploymentId, String index) {
        return get(deploymentId, "/" + index + "/_search?size=0");
    }

    private ElasticAnswer get(String deploymentId, String pathAndQuery) {
        beforeEachCall.accept(pathAndQuery);
        calls.add(deploymentId + " " + pathAndQuery);
        Deque<Object> answers = script.get(pathAndQuery);
        if (answers == null || answers.isEmpty()) {
            throw new AssertionError("unexpected GET " + pathAndQuery);
        }
        Object answer = answers.size() > 1 ? answers.poll() : answers.peek();
        if (answer instanceof ElasticCallException failure) {
            throw failure;
        }
        return (ElasticAnswer) answer;
    }

    public List<String> calls() {
        return calls;
    }

    /** A recorded answer: HTTP 200 unless the file name ends with the status (…-403.json). */
    public static ElasticAnswer recorded(String name) {
        String file = "/es/" + name + ".json";
        try (InputStream in = FakeElasticsearch.class.getResourceAsStream(file)) {
            if (in == null) {
                throw new AssertionError("no recorded answer " + file);
            }
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            java.util.regex.Matcher status = java.util.regex.Pattern.compile("-(\\d{3})$").matcher(name);
            return new ElasticAnswer(status.find() ? Integer.parseInt(status.group(1)) : 200, body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
