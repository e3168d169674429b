package io.crosslink.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.victools.jsonschema.generator.CustomDefinition;
import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaVersion;
import com.github.victools.jsonschema.module.jackson.JacksonModule;
import com.github.victools.jsonschema.module.jackson.JacksonOption;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The JSON Schemas shipped in {@code src/main/resources/schemas} (one per event type, the status document and
 * the request bodies) are generated from the records. This test fails when a record changed and the files did
 * not: regenerate with {@code ./mvnw -pl events test -Dschemas.update=true}. It also validates every sample
 * event against its schema, so the schemas describe what the codec really writes.
 */
class EventSchemasTest {
    private static final Path DIR = Path.of(System.getProperty("schemas.dir", "src/main/resources/schemas"));
    private static final SchemaGenerator GENERATOR = generator();
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    /** File name (without .schema.json) → the Java type it describes and what it is. */
    static Map<String, Described> shipped() {
        Map<String, Described> types = new LinkedHashMap<>();
        EventCodec.eventTypes().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> types.put(e.getKey(),
                new Described(e.getValue(), "Crosslink event " + e.getKey() + " (CloudEvents type " + e.getKey()
                        + ", topic " + Topics.ownerOf(e.getValue()) + ", record key = connectionId)")));
        types.put(EventCodec.STATUS_TYPE, new Described(ConnectionDocument.class,
                "A connection's status document: records of the compacted topic connection-status (CloudEvents type "
                        + EventCodec.STATUS_TYPE + ") and the body of GET /api/v1/connections/{id}"));
        types.put("ConnectionRequest", new Described(ConnectionRequest.class,
                "The body of POST /api/v1/connections"));
        types.put("SubmittedRequest", new Described(SubmittedRequest.class,
                "A record of the topic connection-requests: the request body plus the publisher's requestId"));
        return types;
    }

    record Described(Class<?> type, String description) {
    }

    @Test
    void shippedSchemasAreUpToDate() throws IOException {
        boolean update = Boolean.getBoolean("schemas.update");
        for (Map.Entry<String, Described> entry : shipped().entrySet()) {
            String generated = generate(entry.getKey(), entry.getValue());
            Path file = DIR.resolve(entry.getKey() + ".schema.json");
            if (update) {
                Files.createDirectories(DIR);
                Files.writeString(file, generated, StandardCharsets.UTF_8);
            } else {
                assertTrue(Files.exists(file), file + " is missing: run ./mvnw -pl events test -Dschemas.update=true");
                assertEquals(generated, Files.readString(file, StandardCharsets.UTF_8),
                        file + " is outdated: run ./mvnw -pl events test -Dschemas.update=true");
            }
        }
    }

    @Test
    void everySampleEventIsValidAgainstItsSchema() throws IOException {
        for (Map.Entry<String, ConnectionEvent> sample : Samples.everyEvent().entrySet()) {
            assertEquals(List.of(), errors(sample.getKey(), EventCodec.encode(sample.getValue())), sample.getKey());
        }
        assertEquals(List.of(), errors(EventCodec.STATUS_TYPE, EventCodec.encode(Samples.document())));
        assertEquals(List.of(), errors(EventCodec.STATUS_TYPE, EventCodec.encode(Samples.rejectedAsRead())),
                "a REJECTED document carries the request as far as it was read");
        assertEquals(List.of(), errors("SubmittedRequest", EventCodec.encode(Samples.submitted())));
        assertEquals(List.of(), errors("ConnectionRequest", EventCodec.encode(Samples.request())));
        assertEquals(List.of(), errors("ConnectionRequest", EventCodec.encode(Samples.certificateRequest())));
        assertEquals(List.of(), errors("crosslink.ConnectionRequested", EventCodec.encode(new ConnectionEvent.ConnectionRequested(
                "e", "c", Samples.AT, Samples.certificateRequest(),
                new DeploymentInfo("ece", "c0ffee00a1b2c3d4e5f60718293a4b5c", "main-elasticsearch", "e5f6", "127.0.10.1",
                        "8.19.21", DeploymentInfo.ECE, "b7c2e0f4a9d14e6c8f3a5d2e1c0b9a87", 9300),
                Samples.deployment("ess", "0b5e55ed12345678abcdef0123456789", "127.0.10.2")))));
        assertEquals(List.of(), errors("crosslink.CompensationStarted", EventCodec.encode(
                new ConnectionEvent.CompensationStarted("e", "c", Samples.AT, CompensationCause.DISCONNECT, null))),
                "a compensation without a failure leaves the field out");
    }

    @Test
    void schemasRejectWhatTheCodecRejects() throws IOException {
        assertFalse(errors("crosslink.KeystoreUpdated",
                "{\"eventId\":\"e\",\"connectionId\":\"c\",\"occurredAt\":\"2026-11-28T12:00:00Z\"}").isEmpty(),
                "settingName is required");
        assertFalse(errors("ConnectionRequest", EventCodec.encode(Samples.request())
                .replace("\"api_key\"", "\"password\"")).isEmpty(), "securityModel is an enum");
        assertFalse(errors("crosslink.ConnectionStatus", EventCodec.encode(Samples.document())
                .replace("\"KEY_CREATED\"", "\"ALMOST\"")).isEmpty(), "status is an enum");
        assertFalse(errors("crosslink.ConnectionStatus", EventCodec.encode(Samples.rejectedAsRead())
                .replace("\"REJECTED\"", "\"KEY_CREATED\"")).isEmpty(), "only a REJECTED request may be partial");
    }

    private static List<String> errors(String name, String json) throws IOException {
        Schema schema = REGISTRY.getSchema(Files.readString(DIR.resolve(name + ".schema.json")));
        return schema.validate(EventCodec.mapper().readTree(json)).stream().map(Error::toString).toList();
    }

    private static String generate(String name, Described described) throws IOException {
        ObjectNode schema = GENERATOR.generateSchema(described.type());
        ObjectNode root = EventCodec.mapper().createObjectNode();
        root.put("$schema", schema.path("$schema").asText());
        root.put("$id", "https://crosslink.io/schemas/" + name + ".schema.json");
        root.put("title", name);
        root.put("description", described.description());
        schema.remove("$schema");
        root.setAll(schema);
        if (described.type() == ConnectionDocument.class) {
            onlyReadablePartsWhenRejected(root);
        }
        return EventCodec.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(root).replace("\r\n", "\n")
                + "\n";
    }

    /**
     * A REJECTED document carries the request as far as it could be read (a Kafka request may be missing its alias, or
     * have a deployment without an id): the request's own schema applies to every other status.
     */
    private static void onlyReadablePartsWhenRejected(ObjectNode root) {
        ObjectNode properties = (ObjectNode) root.get("properties");
        JsonNode request = properties.get("request");
        ObjectNode asRead = EventCodec.mapper().createObjectNode().put("type", "object").put("description",
                "the request as far as it could be read (REJECTED); the full request otherwise");
        properties.set("request", asRead);
        ObjectNode condition = EventCodec.mapper().createObjectNode();
        condition.putObject("if").putObject("properties").putObject("status").put("const", "REJECTED");
        condition.putObject("else").putObject("properties").set("request", request);
        root.putArray("allOf").add(condition);
    }

    private static SchemaGenerator generator() {
        SchemaGeneratorConfigBuilder builder = new SchemaGeneratorConfigBuilder(SchemaVersion.DRAFT_2020_12,
                OptionPreset.PLAIN_JSON)
                .with(new JacksonModule(JacksonOption.RESPECT_JSONPROPERTY_REQUIRED,
                        JacksonOption.FLATTENED_ENUMS_FROM_JSONPROPERTY))
                .with(Option.EXTRA_OPEN_API_FORMAT_VALUES);
        // Document- and field-level security queries are Elasticsearch query DSL: any JSON object.
        builder.forTypesInGeneral().withCustomDefinitionProvider((javaType, context) -> javaType.isInstanceOf(JsonNode.class)
                ? new CustomDefinition(context.getGeneratorConfig().createObjectNode()
                        .put("type", "object").put("description", "Elasticsearch query DSL"))
                : null);
        return new SchemaGenerator(builder.build());
    }
}
