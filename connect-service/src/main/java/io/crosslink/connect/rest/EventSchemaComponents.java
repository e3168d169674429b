package io.crosslink.connect.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crosslink.events.ConnectionStatus;
import io.crosslink.events.EventCodec;
import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.media.Schema.SchemaType;

/**
 * Puts the bodies' schemas into the OpenAPI document's components. The request body and the connection document are
 * the JSON Schemas the events module generates from its records and tests against the codec
 * ({@code events/src/main/resources/schemas}), read from the class path here rather than written a second time (as
 * annotations or a static openapi.yaml), so the document cannot drift from what the service really reads and writes.
 * Their {@code $defs} become components of their own ({@code #/$defs/X} → {@code #/components/schemas/X}): Swagger UI
 * and validators resolve refs against the whole document.
 *
 * <p>Every object schema ({@code type: object} with {@code properties}) is closed ({@code additionalProperties: false}):
 * the intake refuses unknown fields at any depth (naming their path), and the codec writes no field its record does not
 * have. Subschemas of {@code if}/{@code else} that list a few properties without a type only add rules: they stay open. A keyword
 * this converter does not know fails the build, so a richer generated schema is never half-copied.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.BUILD)
public class EventSchemaComponents implements OASFilter {
    static final String REQUEST = "ConnectionRequest";
    static final String DOCUMENT = "ConnectionStatus";
    static final String PAGE = "ConnectionPage";
    static final String STATUS_NAME = "ConnectionStatusName";
    private static final String COMPONENTS = "#/components/schemas/";
    /** Component name → the events module's schema file (sorted: the document is the same on every build). */
    private static final Map<String, String> FROM_EVENTS = new TreeMap<>(Map.of(
            REQUEST, "schemas/ConnectionRequest.schema.json",
            DOCUMENT, "schemas/crosslink.ConnectionStatus.schema.json"));

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        Components components = openAPI.getComponents();
        Map<String, JsonNode> defs = new TreeMap<>();
        FROM_EVENTS.forEach((name, resource) -> {
            ObjectNode root = read(resource);
            hoistDefs(root, defs);
            root.remove("$schema");
            root.remove("$id");
            root.put("title", name);
            components.addSchema(name, convert(root));
        });
        defs.forEach((name, def) -> components.addSchema(name, convert(def)));
        components.addSchema(STATUS_NAME, OASFactory.createSchema().addType(SchemaType.STRING)
                .enumeration(Arrays.stream(ConnectionStatus.values()).<Object>map(Enum::name).toList())
                .description("A connection's status."));
        components.addSchema(PAGE, page());
    }

    /** Moves a schema's {@code $defs} into {@code defs}; one name defined differently by two files is an error. */
    private static void hoistDefs(ObjectNode root, Map<String, JsonNode> defs) {
        JsonNode own = root.remove("$defs");
        if (own == null) {
            return;
        }
        own.fields().forEachRemaining(def -> {
            JsonNode earlier = defs.putIfAbsent(def.getKey(), def.getValue());
            if (earlier != null && !earlier.equals(def.getValue())) {
                throw new IllegalStateException("two event schemas define " + def.getKey() + " differently");
            }
        });
    }

    /** The list's answer ({@code ConnectionService.Page}): bounds from the resource's own limits. */
    private static Schema page() {
        Map<String, Schema> properties = new LinkedHashMap<>();
        properties.put("items", OASFactory.createSchema().addType(SchemaType.ARRAY)
                .items(OASFactory.createSchema().ref(COMPONENTS + DOCUMENT))
                .description("the connections of this page, newest first"));
        properties.put("page", OASFactory.createSchema().addType(SchemaType.INTEGER).format("int32")
                .minimum(BigDecimal.ZERO));
        properties.put("size", OASFactory.createSchema().addType(SchemaType.INTEGER).format("int32")
                .minimum(BigDecimal.ONE).maximum(BigDecimal.valueOf(ConnectionResource.MAX_SIZE)));
        properties.put("total", OASFactory.createSchema().addType(SchemaType.INTEGER).format("int64")
                .minimum(BigDecimal.ZERO).description("connections matching the query, on all pages"));
        return OASFactory.createSchema().title(PAGE).addType(SchemaType.OBJECT).properties(properties)
                .required(List.of("items", "page", "size", "total")).additionalPropertiesBoolean(false)
                .description("One page of GET /api/v1/connections.");
    }

    /** A JSON Schema (2020-12, as the events module writes them) as the OpenAPI model's schema. */
    static Schema convert(JsonNode json) {
        Schema schema = OASFactory.createSchema();
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> keyword = it.next();
            JsonNode value = keyword.getValue();
            switch (keyword.getKey()) {
                case "type" -> schema.setType(types(value));
                case "title" -> schema.setTitle(value.asText());
                case "description" -> schema.setDescription(value.asText());
                case "format" -> schema.setFormat(value.asText());
                case "$ref" -> schema.setRef(value.asText().replace("#/$defs/", COMPONENTS));
                case "required" -> schema.setRequired(list(value).stream().map(JsonNode::asText).toList());
                case "enum" -> schema.setEnumeration(list(value).stream().map(EventSchemaComponents::plain).toList());
                case "const" -> schema.setConstValue(plain(value));
                case "items" -> schema.setItems(convert(value));
                case "if" -> schema.setIfSchema(convert(value));
                case "then" -> schema.setThenSchema(convert(value));
                case "else" -> schema.setElseSchema(convert(value));
                case "allOf" -> schema.setAllOf(list(value).stream().map(EventSchemaComponents::convert).toList());
                case "properties" -> {
                    Map<String, Schema> properties = new LinkedHashMap<>();
                    value.fields().forEachRemaining(p -> properties.put(p.getKey(), convert(p.getValue())));
                    schema.setProperties(properties);
                    if ("object".equals(json.path("type").asText())) {
                        schema.setAdditionalPropertiesBoolean(false);
                    }
                }
                default -> throw new IllegalStateException("JSON Schema keyword " + keyword.getKey()
                        + " is not carried into the OpenAPI document: teach EventSchemaComponents.convert");
            }
        }
        return schema;
    }

    private static List<SchemaType> types(JsonNode value) {
        List<JsonNode> names = value.isArray() ? list(value) : List.of(value);
        return names.stream().map(name -> SchemaType.valueOf(name.asText().toUpperCase(Locale.ROOT))).toList();
    }

    /** A JSON value as a plain Java value (String, Number, Boolean, List, Map), for enum and const. */
    private static Object plain(JsonNode value) {
        return EventCodec.mapper().convertValue(value, Object.class);
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> values = new ArrayList<>();
        array.forEach(values::add);
        return values;
    }

    private static ObjectNode read(String resource) {
        try (InputStream in = EventSchemaComponents.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the class path (crosslink-events)");
            }
            return (ObjectNode) EventCodec.mapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
