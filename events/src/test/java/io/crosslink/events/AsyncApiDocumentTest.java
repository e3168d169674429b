package io.crosslink.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The AsyncAPI document ({@code src/main/resources/asyncapi.yaml}) describes the contract as the code has it: its
 * channels are exactly Crosslink's topics, every event type of the sealed interface is a message on its owner's topic
 * with its CloudEvents type pinned, every payload is a $ref to a generated JSON Schema, and the operations are the
 * consumers, dead-letter producers and outbox sources the four services' application.properties configure. The
 * reference parser validates the same file in the build ({@code src/test/asyncapi/validate.mjs}).
 */
class AsyncApiDocumentTest {
    static final Path DOCUMENT = Path.of(System.getProperty("asyncapi.file", "src/main/resources/asyncapi.yaml"));
    private static final Path SERVICES = Path.of(System.getProperty("services.dir", ".."));
    private static final List<String> SERVICE_NAMES = List.of("connect-service", "key-service", "trust-service",
            "verify-service");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void theDocumentDescribesTheContract() throws IOException {
        assertEquals(List.of(), problems(document(), DOCUMENT.getParent(), serviceConfigs()));
    }

    @Test
    void everyTopicIsAChannelAndEveryEventAMessage() throws IOException {
        JsonNode doc = document();
        Set<String> addresses = new TreeSet<>();
        doc.path("channels").forEach(channel -> addresses.add(channel.path("address").asText()));
        assertEquals(expectedTopics(), addresses);
        Set<String> names = new TreeSet<>();
        doc.path("components").path("messages").forEach(message -> names.add(message.path("name").asText()));
        assertTrue(names.containsAll(EventCodec.eventTypes().keySet()), names.toString());
        assertTrue(names.contains(EventCodec.STATUS_TYPE));
    }

    // --- negative controls: the same check finds each kind of drift ---

    @Test
    void aMissingTopicIsFound() throws IOException {
        assertFinds(doc -> ((ObjectNode) doc.path("channels")).remove("keyEvents"), "key-events");
        assertFinds(doc -> ((ObjectNode) doc.path("channels")).remove("verifyEventsDlq"), "verify-events.dlq");
        assertFinds(doc -> ((ObjectNode) doc.at("/channels/connectionStatus/bindings/kafka")).remove("topicConfiguration"),
                "connection-status compacted");
    }

    @Test
    void aMissingEventTypeIsFound() throws IOException {
        assertFinds(doc -> ((ObjectNode) doc.path("channels").path("trustEvents").path("messages"))
                .remove("TrustRemovalFailed"), "crosslink.TrustRemovalFailed");
    }

    @Test
    void anEventOnAnotherTopicIsFound() throws IOException {
        assertFinds(doc -> ((ObjectNode) doc.path("channels").path("verifyEvents").path("messages"))
                .putObject("KeyCreated").put("$ref", "#/components/messages/KeyCreated"), "crosslink.KeyCreated");
    }

    @Test
    void aWrongCloudEventTypeIsFound() throws IOException {
        assertFinds(doc -> ((ObjectNode) doc.at("/components/messages/KeyCreated/headers/properties/ce_type"))
                .put("const", "crosslink.KeyMade"), "ce_type");
    }

    @Test
    void aPayloadThatIsNoGeneratedSchemaIsFound() throws IOException {
        assertFinds(doc -> ((ObjectNode) doc.at("/components/messages/KeyCreated/payload"))
                .put("$ref", "./schemas/crosslink.KeyMade.schema.json"), "crosslink.KeyMade.schema.json");
        assertFinds(doc -> ((ObjectNode) doc.at("/components/messages/KeyCreated")).putObject("payload")
                .put("type", "object"), "copied schema");
        assertFinds(doc -> ((ObjectNode) doc.at("/channels/keyEvents/messages/KeyCreated"))
                .put("$ref", "#/components/messages/KeyMade"), "#/components/messages/KeyMade");
    }

    @Test
    void anUndocumentedConsumerOrDeadLetterProducerIsFound() throws IOException {
        assertFinds(doc -> ((ObjectNode) doc.path("operations")).remove("trustServiceReceivesKeyEvents"),
                "trust-service receives key-events");
        assertFinds(doc -> ((ObjectNode) doc.path("operations")).remove("keyServiceDeadLettersTrustEvents"),
                "key-service sends trust-events.dlq");
        assertFinds(doc -> ((ObjectNode) doc.at("/components/schemas/VerifyEventsHeaders/properties/ce_source"))
                .put("const", "crosslink/connect-service"), "ce_source");
    }

    private static void assertFinds(Consumer<JsonNode> breakIt, String named) throws IOException {
        JsonNode doc = document();
        breakIt.accept(doc);
        List<String> problems = problems(doc, DOCUMENT.getParent(), serviceConfigs());
        assertTrue(problems.stream().anyMatch(p -> p.contains(named)), "expected a problem naming " + named + ": "
                + problems);
    }

    // --- the check ---

    static Set<String> expectedTopics() {
        Set<String> topics = new TreeSet<>(Topics.EVENT_TOPICS);
        topics.add(Topics.CONNECTION_REQUESTS);
        topics.add(Topics.CONNECTION_STATUS);
        Stream.concat(Topics.EVENT_TOPICS.stream(), Stream.of(Topics.CONNECTION_REQUESTS))
                .forEach(topic -> topics.add(Topics.deadLetter(topic)));
        return topics;
    }

    /** What in {@code doc} disagrees with the contract and the services' configuration; empty when nothing. */
    static List<String> problems(JsonNode doc, Path dir, Map<String, Properties> services) {
        List<String> problems = new ArrayList<>();
        refs(doc, doc, dir, "", problems);

        Map<String, JsonNode> channels = new LinkedHashMap<>();
        doc.path("channels").fields().forEachRemaining(e -> {
            if (channels.put(e.getValue().path("address").asText(), e.getValue()) != null) {
                problems.add("two channels have the address " + e.getValue().path("address").asText());
            }
        });
        Set<String> missing = new TreeSet<>(expectedTopics());
        missing.removeAll(channels.keySet());
        missing.forEach(topic -> problems.add("no channel for the topic " + topic));
        Set<String> unknown = new TreeSet<>(channels.keySet());
        unknown.removeAll(expectedTopics());
        unknown.forEach(topic -> problems.add("a channel for " + topic + ", which is no topic of Crosslink"));

        // Every event type on its owner's topic only, with its CloudEvents type and its generated schema.
        Map<String, Set<String>> eventsOn = new LinkedHashMap<>();
        for (String topic : Topics.EVENT_TOPICS) {
            eventsOn.put(topic, new LinkedHashSet<>());
            for (JsonNode message : messages(doc, channels.get(topic))) {
                String type = message.path("name").asText();
                eventsOn.get(topic).add(type);
                if (!EventCodec.eventTypes().containsKey(type)) {
                    problems.add(topic + " carries " + type + ", which is no event type");
                    continue;
                }
                payloadIs(message, type, problems);
                String ceType = pinned(doc, message.path("headers"), "ce_type");
                if (!type.equals(ceType)) {
                    problems.add(type + ": ce_type is pinned to " + ceType);
                }
            }
        }
        EventCodec.eventTypes().forEach((type, cls) -> {
            String owner = Topics.ownerOf(cls);
            eventsOn.forEach((topic, types) -> {
                if (topic.equals(owner) && !types.contains(type)) {
                    problems.add(type + " is no message of its topic " + owner);
                } else if (!topic.equals(owner) && types.contains(type)) {
                    problems.add(type + " is a message of " + topic + ", but is published on " + owner);
                }
            });
        });
        singleMessage(doc, channels.get(Topics.CONNECTION_STATUS), EventCodec.STATUS_TYPE, problems);
        singleMessage(doc, channels.get(Topics.CONNECTION_REQUESTS), "SubmittedRequest", problems);

        provisioned(channels, services, problems);
        operations(doc, channels, services, problems);
        return problems;
    }

    /** Every topic a service creates at start (crosslink.kafka.*) is a channel, the compacted ones compacted. */
    private static void provisioned(Map<String, JsonNode> channels, Map<String, Properties> services,
            List<String> problems) {
        services.forEach((service, config) -> {
            for (String topic : config.getProperty("crosslink.kafka.topics", "").split(",")) {
                if (!topic.isBlank() && !channels.containsKey(topic.trim())) {
                    problems.add(service + " creates the topic " + topic.trim() + ", which has no channel");
                }
            }
            for (String topic : config.getProperty("crosslink.kafka.compacted-topics", "").split(",")) {
                JsonNode channel = channels.get(topic.trim());
                if (!topic.isBlank() && (channel == null || !channel
                        .at("/bindings/kafka/topicConfiguration/cleanup.policy").toString().contains("compact"))) {
                    problems.add(service + " creates " + topic.trim() + " compacted; its channel does not say so");
                }
            }
        });
    }

    /** A consumer group of one instance: {@code <service>-live-${quarkus.uuid}}, a new one at every start. */
    static boolean perInstance(String service, String group) {
        return group != null && group.equals(service + "-live-${quarkus.uuid}");
    }

    /** The operations are what the services' configuration makes them: consumers, DLQ producers, outbox sources. */
    private static void operations(JsonNode doc, Map<String, JsonNode> channels, Map<String, Properties> services,
            List<String> problems) {
        Set<String> documented = new TreeSet<>();
        doc.path("operations").forEach(operation -> {
            JsonNode channel = resolve(doc, operation.path("channel"));
            String address = channel == null ? "?" : channel.path("address").asText();
            String instancePattern = operation.at("/bindings/kafka/groupId/pattern").asText("");
            operation.path("tags").forEach(tag -> documented.add(tag.path("name").asText() + " "
                    + operation.path("action").asText() + "s " + address
                    + (instancePattern.startsWith("^" + tag.path("name").asText() + "-live-") ? " per instance" : "")));
            String groupId = operation.at("/bindings/kafka/groupId/const").asText(null);
            operation.path("tags").forEach(tag -> {
                if (groupId != null && !groupId.equals(tag.path("name").asText())) {
                    problems.add(tag.path("name").asText() + " receives " + address + " as group " + groupId);
                }
            });
        });
        Set<String> configured = new TreeSet<>();
        services.forEach((service, config) -> config.stringPropertyNames().stream()
                .filter(key -> key.startsWith("mp.messaging.incoming.")).forEach(key -> {
                    if (key.endsWith(".dead-letter-queue.topic")) {
                        configured.add(service + " sends " + config.getProperty(key));
                    } else if (key.endsWith(".topic")) {
                        String group = config.getProperty(key.replaceAll("\\.topic$", ".group.id"));
                        if (perInstance(service, group)) {
                            // A group of each instance's own (connect-service's live status feed): documented
                            // with a pattern, as its id is only known at start.
                            configured.add(service + " receives " + config.getProperty(key) + " per instance");
                        } else {
                            configured.add(service + " receives " + config.getProperty(key));
                            if (!service.equals(group)) {
                                problems.add(service + " reads " + config.getProperty(key) + " as group " + group);
                            }
                        }
                    }
                }));
        // Outbox sources: each event topic is sent by the one service whose source its messages pin.
        services.forEach((service, config) -> {
            String source = config.getProperty("crosslink.outbox.source");
            channels.forEach((address, channel) -> {
                if (!Topics.EVENT_TOPICS.contains(address) && !address.equals(Topics.CONNECTION_STATUS)) {
                    return;
                }
                for (JsonNode message : messages(doc, channel)) {
                    String pinned = pinned(doc, message.path("headers"), "ce_source");
                    if (pinned == null) {
                        problems.add(message.path("name").asText() + " pins no ce_source");
                    } else if (pinned.equals(source)) {
                        configured.add(service + " sends " + address);
                    }
                }
            });
        });
        Set<String> undocumented = new TreeSet<>(configured);
        undocumented.removeAll(documented);
        undocumented.forEach(op -> problems.add("no operation: " + op));
        Set<String> unconfigured = documented.stream().filter(op -> SERVICE_NAMES.contains(op.split(" ")[0]))
                .collect(Collectors.toCollection(TreeSet::new));
        unconfigured.removeAll(configured);
        unconfigured.forEach(op -> problems.add("an operation no service's configuration has: " + op
                + " (check its messages' ce_source)"));
    }

    private static void singleMessage(JsonNode doc, JsonNode channel, String name, List<String> problems) {
        List<JsonNode> messages = messages(doc, channel);
        if (messages.size() != 1 || !name.equals(messages.get(0).path("name").asText())) {
            problems.add("the channel " + (channel == null ? "?" : channel.path("address").asText())
                    + " should carry exactly the message " + name);
        } else {
            payloadIs(messages.get(0), name, problems);
        }
    }

    /** The payload is the generated schema of {@code name} by reference, never a copy that could drift. */
    private static void payloadIs(JsonNode message, String name, List<String> problems) {
        String expected = "./schemas/" + name + ".schema.json";
        String ref = message.path("payload").path("$ref").asText(null);
        if (ref == null) {
            problems.add(name + ": the payload is a copied schema, not a $ref to " + expected);
        } else if (!ref.equals(expected)) {
            problems.add(name + ": the payload is " + ref + ", not " + expected);
        }
    }

    private static List<JsonNode> messages(JsonNode doc, JsonNode channel) {
        List<JsonNode> messages = new ArrayList<>();
        if (channel != null) {
            channel.path("messages").forEach(message -> messages.add(resolve(doc, message)));
        }
        messages.removeIf(m -> m == null);
        return messages;
    }

    /** The const a header schema pins a header to, looking through $refs and allOf. */
    private static String pinned(JsonNode doc, JsonNode schema, String header) {
        JsonNode resolved = resolve(doc, schema);
        if (resolved == null) {
            return null;
        }
        String own = resolved.path("properties").path(header).path("const").asText(null);
        if (own != null) {
            return own;
        }
        for (JsonNode part : resolved.path("allOf")) {
            String inherited = pinned(doc, part, header);
            if (inherited != null) {
                return inherited;
            }
        }
        return null;
    }

    /** A node, or what its local {@code $ref} points at; null when that is nothing. */
    private static JsonNode resolve(JsonNode doc, JsonNode node) {
        String ref = node.path("$ref").asText(null);
        if (ref == null) {
            return node.isMissingNode() ? null : node;
        }
        if (!ref.startsWith("#")) {
            return null;
        }
        JsonNode target = doc.at(ref.substring(1));
        return target.isMissingNode() ? null : resolve(doc, target);
    }

    /** Every $ref resolves: a local one in the document, a file one to a schema the events module generates. */
    private static void refs(JsonNode doc, JsonNode node, Path dir, String at, List<String> problems) {
        if (node.isObject()) {
            JsonNode ref = node.get("$ref");
            if (ref != null && ref.isTextual()) {
                String target = ref.asText();
                if (target.startsWith("#")) {
                    if (doc.at(target.substring(1)).isMissingNode()) {
                        problems.add(at + ": $ref " + target + " points at nothing");
                    }
                } else {
                    String file = target.replaceAll("#.*$", "");
                    String name = Path.of(file).getFileName().toString().replaceAll("\\.schema\\.json$", "");
                    if (!file.equals("./schemas/" + name + ".schema.json")
                            || !EventSchemasTest.shipped().containsKey(name)) {
                        problems.add(at + ": $ref " + target + " is no generated schema");
                    } else if (!Files.isRegularFile(dir.resolve(file))) {
                        problems.add(at + ": $ref " + target + " names a missing file");
                    }
                }
            }
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                refs(doc, field.getValue(), dir, at + "/" + field.getKey(), problems);
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                refs(doc, array.get(i), dir, at + "/" + i, problems);
            }
        }
    }

    static JsonNode document() throws IOException {
        return YAML.readTree(DOCUMENT.toFile());
    }

    /** Each service's application.properties (profile-free keys only matter here). */
    static Map<String, Properties> serviceConfigs() throws IOException {
        Map<String, Properties> configs = new LinkedHashMap<>();
        for (String service : SERVICE_NAMES) {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(
                    SERVICES.resolve(service).resolve("src/main/resources/application.properties"))) {
                properties.load(reader);
            }
            configs.put(service, properties);
        }
        return configs;
    }
}
