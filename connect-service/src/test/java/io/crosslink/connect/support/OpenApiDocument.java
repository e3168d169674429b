package io.crosslink.connect.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.crosslink.events.EventCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The served OpenAPI document ({@code /q/openapi?format=json}) as a JSON Schema resource: bodies are validated against
 * the schema an operation's response names, resolved within the whole document (OpenAPI 3.1 schemas are JSON Schema
 * 2020-12), so the test checks exactly what a client generated from the document would expect.
 */
public final class OpenApiDocument {
    /** Where the validator finds the document: a name only, nothing is fetched. */
    private static final String IRI = "https://crosslink.test/openapi.json";
    private static final String COMPONENT_SCHEMA = "#/components/schemas/";
    private static final String COMPONENT_RESPONSE = "#/components/responses/";

    private final JsonNode document;
    private final SchemaRegistry registry;

    public OpenApiDocument(String json) {
        this.document = read(json);
        this.registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                builder -> builder.schemas(Map.of(IRI, json)));
    }

    public JsonNode json() {
        return document;
    }

    /** The operation at {@code path} (as templated in the document) and {@code method}; missing node if none. */
    public JsonNode operation(String path, String method) {
        return document.path("paths").path(path).path(method.toLowerCase(Locale.ROOT));
    }

    /** The response object of {@code status}, its {@code $ref} to {@code #/components/responses} followed. */
    public JsonNode response(String path, String method, int status) {
        JsonNode response = operation(path, method).path("responses").path(Integer.toString(status));
        String ref = response.path("$ref").asText("");
        if (ref.startsWith(COMPONENT_RESPONSE)) {
            return document.path("components").path("responses").path(ref.substring(COMPONENT_RESPONSE.length()));
        }
        return response;
    }

    /**
     * The name of the component schema the response's {@code mediaType} body refers to. Every body is a named
     * component (so clients get named types); anything else fails here.
     */
    public String bodySchemaName(String path, String method, int status, String mediaType) {
        JsonNode schema = response(path, method, status).path("content").path(mediaType).path("schema");
        String ref = schema.path("$ref").asText("");
        if (!ref.startsWith(COMPONENT_SCHEMA)) {
            throw new AssertionError(method + " " + path + " " + status + " " + mediaType
                    + ": the body is not a component schema: " + schema);
        }
        return ref.substring(COMPONENT_SCHEMA.length());
    }

    /** What is wrong with {@code body} as the {@code status} answer of the operation (empty: it conforms). */
    public List<String> violations(String path, String method, int status, String mediaType, String body) {
        return violations(bodySchemaName(path, method, status, mediaType), body);
    }

    /** What is wrong with {@code body} as an instance of the component schema {@code name} (empty: it conforms). */
    public List<String> violations(String name, String body) {
        if (!document.path("components").path("schemas").has(name)) {
            throw new AssertionError("no component schema " + name);
        }
        Schema schema = registry.getSchema(SchemaLocation.of(IRI + COMPONENT_SCHEMA + name));
        return schema.validate(read(body)).stream().map(Error::toString).toList();
    }

    private static JsonNode read(String json) {
        try {
            return EventCodec.mapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
