package io.crosslink.connect.rest;

import static io.crosslink.connect.support.TestRequests.alias;
import static io.crosslink.connect.support.TestRequests.valid;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crosslink.connect.service.Caller;
import io.crosslink.connect.support.ElasticStandIn;
import io.crosslink.connect.support.JwtTestResource;
import io.crosslink.connect.support.OpenApiDocument;
import io.crosslink.connect.support.TestTokens;
import io.crosslink.events.EventCodec;
import io.crosslink.testsupport.KafkaTestResource;
import io.crosslink.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document the service serves: (1) every JAX-RS endpoint, found by reflection over the service's classes,
 * is in it with its roles, parameters and every answer's body (a new endpoint without documentation fails here);
 * (2) the document and Swagger UI are on the API port without a token, not on the management port; (3) real answers
 * of the running service (202, 200, 400, 401, 403, 404, 409, 413) conform to the schemas the document names for them.
 * Plain HTTP where no token must be sent (RestAssured requests carry the admin's).
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "connect"))
@QuarkusTestResource(ElasticStandIn.class)
@QuarkusTestResource(JwtTestResource.class)
class OpenApiDocumentTest {
    private static final String JSON = "application/json";
    private static final String PROBLEM = Problem.MEDIA_TYPE;
    private static final String COLLECTION = "/api/v1/connections";
    private static final String ONE = "/api/v1/connections/{id}";
    private static final String STREAM = "/api/v1/connections/stream";
    private static final String EVENT_STREAM = "text/event-stream";
    private static final Pattern ROLE = Pattern.compile("connections:[a-z]+");
    /** README, "Authentication and roles": the roles each call accepts, as its description must name them. */
    private static final Map<String, Set<String>> ROLES = Map.of(
            "POST " + COLLECTION, Set.of(Caller.REQUEST, Caller.ADMIN),
            "GET " + COLLECTION, Set.of(Caller.READ, Caller.REQUEST, Caller.ADMIN),
            "GET " + ONE, Set.of(Caller.READ, Caller.REQUEST, Caller.ADMIN),
            "GET " + STREAM, Set.of(Caller.READ, Caller.REQUEST, Caller.ADMIN),
            "DELETE " + ONE, Set.of(Caller.REQUEST, Caller.ADMIN));

    @TestHTTPResource("/q/openapi")
    URI openapi;

    @TestHTTPResource("/q/swagger-ui/")
    URI swaggerUi;

    @TestHTTPResource(AsyncApiRoutes.DOCUMENT)
    URI asyncapi;

    @TestHTTPResource(COLLECTION)
    URI connections;

    /** (Relative to the management root, {@code /q}.) */
    @TestHTTPResource(value = "/openapi", management = true)
    URI managementOpenapi;

    @TestHTTPResource(value = "/metrics", management = true)
    URI managementMetrics;

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NORMAL).build();

    @Test
    void everyEndpointIsInTheDocumentWithItsRolesParametersAndAnswers() throws Exception {
        OpenApiDocument document = document();
        assertTrue(document.json().path("openapi").asText().startsWith("3.1"), document.json().path("openapi").asText());
        JsonNode bearer = document.json().path("components").path("securitySchemes").path(ConnectApiDefinition.BEARER);
        assertEquals("http", bearer.path("type").asText());
        assertEquals("bearer", bearer.path("scheme").asText());
        assertEquals("JWT", bearer.path("bearerFormat").asText());

        List<Endpoint> endpoints = endpoints();
        List<String> found = endpoints.stream().map(Endpoint::key).sorted().toList();
        assertEquals(new TreeSet<>(ROLES.keySet()), new TreeSet<>(found), "the endpoints found by reflection (a new"
                + " one: document it, then name its roles in ROLES)");
        assertEquals(found.size(), Set.copyOf(found).size(), "one resource method per path and method: " + found);
        for (Endpoint endpoint : endpoints) {
            assertDocumented(document, endpoint);
        }

        Set<String> documented = new TreeSet<>();
        document.json().path("paths").fields().forEachRemaining(path -> path.getValue().fieldNames()
                .forEachRemaining(method -> documented.add(method.toUpperCase() + " " + path.getKey())));
        assertEquals(new TreeSet<>(ROLES.keySet()), documented, "the document has no operation the service lacks");
    }

    private static void assertDocumented(OpenApiDocument document, Endpoint endpoint) {
        String where = endpoint.key();
        JsonNode operation = document.operation(endpoint.path(), endpoint.method());
        assertFalse(operation.isMissingNode(), where + " is not in the document");
        assertFalse(operation.path("operationId").asText().isBlank(), where + ": operationId");
        assertFalse(operation.path("summary").asText().isBlank(), where + ": summary");
        Set<String> roles = new TreeSet<>();
        Matcher named = ROLE.matcher(operation.path("description").asText());
        while (named.find()) {
            roles.add(named.group());
        }
        assertEquals(new TreeSet<>(ROLES.get(where)), roles, where + ": the roles its description names");
        assertTrue(operation.path("security").toString().contains("\"" + ConnectApiDefinition.BEARER + "\""),
                where + ": needs the bearer scheme: " + operation.path("security"));

        for (String[] inAndName : declaredParameters(endpoint.java())) {
            assertTrue(hasParameter(operation, inAndName[0], inAndName[1]), where + ": parameter " + inAndName[1]
                    + " in " + inAndName[0] + " is not documented: " + operation.path("parameters"));
        }

        Set<String> statuses = new TreeSet<>();
        operation.path("responses").fieldNames().forEachRemaining(statuses::add);
        assertTrue(statuses.stream().anyMatch(status -> status.startsWith("2")), where + ": no success answer");
        List<String> expected = new ArrayList<>(List.of("401", "403", "500"));
        if (endpoint.path().contains("{")) {
            expected.add("404");
        }
        if (operation.has("requestBody")) {
            expected.addAll(List.of("400", "413"));
        }
        assertTrue(statuses.containsAll(expected), where + ": documents " + statuses + ", needs " + expected);
        for (String status : statuses) {
            String success = endpoint.path().equals(STREAM) ? EVENT_STREAM : JSON;
            String mediaType = status.startsWith("2") ? success : PROBLEM;
            JsonNode content = document.response(endpoint.path(), endpoint.method(), Integer.parseInt(status))
                    .path("content");
            assertEquals(List.of(mediaType), fieldNames(content), where + " " + status + ": media types");
            if (mediaType.equals(EVENT_STREAM)) {
                continue; // server-sent events: text, each event's data a document (the operation's description)
            }
            String schema = document.bodySchemaName(endpoint.path(), endpoint.method(), Integer.parseInt(status),
                    mediaType);
            if (!status.startsWith("2")) {
                assertEquals("Problem", schema, where + " " + status);
            }
        }
        if (operation.has("requestBody")) {
            JsonNode body = operation.path("requestBody");
            assertTrue(body.path("required").asBoolean(), where + ": the body is required");
            assertEquals("#/components/schemas/" + EventSchemaComponents.REQUEST,
                    body.path("content").path(JSON).path("schema").path("$ref").asText(), where + ": request body");
        }
    }

    @Test
    void theDocumentAndSwaggerUiAreServedWithoutATokenOnTheApiPortOnly() throws Exception {
        HttpResponse<String> json = get(URI.create(openapi + "?format=json"));
        assertEquals(200, json.statusCode(), json.body());
        assertTrue(json.headers().firstValue("Content-Type").orElse("").startsWith(JSON), json.headers().map().toString());
        assertTrue(EventCodec.mapper().readTree(json.body()).path("paths").has(COLLECTION));

        HttpResponse<String> yaml = get(openapi);
        assertEquals(200, yaml.statusCode());
        assertTrue(yaml.body().startsWith("---") || yaml.body().startsWith("openapi:"), yaml.body().substring(0, 40));

        HttpResponse<String> ui = get(swaggerUi);
        assertEquals(200, ui.statusCode(), ui.body());
        assertTrue(ui.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(ui.body().toLowerCase().contains("swagger"), "Swagger UI's page");

        // The management port has the metrics, not the document (it is for callers of the API).
        assertEquals(200, get(managementMetrics).statusCode(), managementMetrics + ": the management port answers");
        assertEquals(404, get(managementOpenapi).statusCode(), managementOpenapi.toString());
    }

    /**
     * The AsyncAPI document of the Kafka topics sits next to the OpenAPI one, without a token, byte for byte the events
     * module's; its payloads' relative $refs resolve against its URL to the generated schemas, and nothing else of the
     * class path can be asked for.
     */
    @Test
    void theAsyncApiDocumentAndItsSchemasAreServedWithoutAToken() throws Exception {
        HttpResponse<String> served = get(asyncapi);
        assertEquals(200, served.statusCode(), served.body());
        assertTrue(served.headers().firstValue("Content-Type").orElse("").startsWith("application/yaml"));
        try (var in = getClass().getClassLoader().getResourceAsStream("asyncapi.yaml")) {
            assertEquals(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8), served.body());
        }
        JsonNode doc = new com.fasterxml.jackson.databind.ObjectMapper(
                new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).readTree(served.body());
        assertTrue(doc.path("asyncapi").asText().startsWith("3."), doc.path("asyncapi").asText());
        int payloads = 0;
        for (JsonNode message : doc.path("components").path("messages")) {
            String ref = message.path("payload").path("$ref").asText(null);
            if (ref != null) {
                HttpResponse<String> schema = get(asyncapi.resolve(ref));
                assertEquals(200, schema.statusCode(), ref);
                assertEquals(ref.substring(ref.lastIndexOf('/') + 1).replace(".schema.json", ""),
                        EventCodec.mapper().readTree(schema.body()).path("title").asText(), ref);
                payloads++;
            }
        }
        assertEquals(EventCodec.eventTypes().size() + 2, payloads, "every event, the status document, the request");
        assertEquals(404, get(asyncapi.resolve("schemas/application.properties")).statusCode());
        assertEquals(404, get(asyncapi.resolve("schemas/crosslink.NoSuchEvent.schema.json")).statusCode());
        assertEquals(404, get(asyncapi.resolve("schemas/..%2Fapplication.properties")).statusCode());
    }

    @Test
    void realAnswersConformToTheSchemasTheDocumentNamesForThem() throws Exception {
        OpenApiDocument document = document();
        String alias = alias("contract");
        ObjectNode request = valid(alias);
        assertEquals(List.of(), document.violations(EventSchemaComponents.REQUEST, request.toString()),
                "a body the service accepts conforms to the documented request");

        Response accepted = given().contentType(ContentType.JSON).body(request.toString()).post(COLLECTION)
                .then().statusCode(202).extract().response();
        assertConforms(document, COLLECTION, "post", accepted);
        String id = accepted.path("id");
        assertEquals("/api/v1/connections/" + id, URI.create(accepted.header("Location")).getPath());

        assertConforms(document, ONE, "get", given().get(ONE, id).then().statusCode(200).extract().response());
        assertConforms(document, COLLECTION, "get", given().queryParam("alias", alias).get(COLLECTION)
                .then().statusCode(200).extract().response());

        Response taken = given().contentType(ContentType.JSON).body(request.toString()).post(COLLECTION)
                .then().statusCode(409).extract().response();
        assertConforms(document, COLLECTION, "post", taken);

        ObjectNode unknownField = valid(alias("contract-unknown")).put("colour", "blue");
        assertFalse(document.violations(EventSchemaComponents.REQUEST, unknownField.toString()).isEmpty(),
                "the documented request refuses unknown fields, as the service does");
        assertConforms(document, COLLECTION, "post", given().contentType(ContentType.JSON).body(unknownField.toString())
                .post(COLLECTION).then().statusCode(400).extract().response());
        assertConforms(document, COLLECTION, "get", given().queryParam("size", "0").get(COLLECTION)
                .then().statusCode(400).extract().response());
        assertConforms(document, COLLECTION, "post", given().contentType(ContentType.JSON)
                .body("{\"alias\":\"" + "x".repeat(ConnectionResource.MAX_BODY_BYTES) + "\"}").post(COLLECTION)
                .then().statusCode(413).extract().response());
        assertConforms(document, COLLECTION, "post", given().contentType(ContentType.JSON)
                .header("Authorization", "Bearer " + TestTokens.token("auditor", TestTokens.ADMIN_TEAM, Caller.READ))
                .body(valid(alias("contract-reader")).toString()).post(COLLECTION)
                .then().statusCode(403).extract().response());
        assertConforms(document, ONE, "get", given().get(ONE, "no-such-connection")
                .then().statusCode(404).extract().response());

        HttpResponse<String> anonymous = get(connections);
        assertEquals(401, anonymous.statusCode());
        assertTrue(document.response(COLLECTION, "get", 401).path("headers").has("WWW-Authenticate"));
        assertTrue(anonymous.headers().firstValue("WWW-Authenticate").isPresent());
        assertEquals(List.of(), document.violations(COLLECTION, "get", 401, contentType(
                anonymous.headers().firstValue("Content-Type").orElse("")), anonymous.body()));

        Response deleted = given().delete(ONE, id).then().statusCode(202).extract().response();
        assertConforms(document, ONE, "delete", deleted);
    }

    @Test
    void theDocumentedSchemasRefuseWhatTheServiceNeverWrites() throws Exception {
        OpenApiDocument document = document();
        Response accepted = given().contentType(ContentType.JSON).body(valid(alias("contract-strict")).toString())
                .post(COLLECTION).then().statusCode(202).extract().response();
        ObjectNode body = (ObjectNode) EventCodec.mapper().readTree(accepted.asString());
        assertEquals(List.of(), document.violations(EventSchemaComponents.DOCUMENT, body.toString()));

        assertFalse(document.violations(EventSchemaComponents.DOCUMENT, body.deepCopy().put("extra", 1).toString())
                .isEmpty(), "an unknown field");
        assertFalse(document.violations(EventSchemaComponents.DOCUMENT, body.deepCopy().put("status", "ALMOST")
                .toString()).isEmpty(), "a status that does not exist");
        ObjectNode withoutId = body.deepCopy();
        withoutId.remove("id");
        assertFalse(document.violations(EventSchemaComponents.DOCUMENT, withoutId.toString()).isEmpty(), "no id");
        assertFalse(document.violations("Problem", "{\"type\":\"about:blank\",\"title\":\"t\",\"status\":400,"
                + "\"detail\":\"d\"}").isEmpty(), "a problem type outside urn:crosslink:problem:");
    }

    private void assertConforms(OpenApiDocument document, String path, String method, Response response) {
        List<String> violations = document.violations(path, method, response.statusCode(),
                contentType(response.contentType()), response.asString());
        assertEquals(List.of(), violations, method + " " + path + " " + response.statusCode() + ": "
                + response.asString());
    }

    private static String contentType(String header) {
        return header.split(";")[0].trim();
    }

    private OpenApiDocument document() throws IOException, InterruptedException {
        HttpResponse<String> served = get(URI.create(openapi + "?format=json"));
        assertEquals(200, served.statusCode(), served.body());
        return new OpenApiDocument(served.body());
    }

    private HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    // ---------------------------------------------------------------- the endpoints, by reflection

    /** A JAX-RS resource method: its HTTP method and its path as the document templates it. */
    record Endpoint(String method, String path, Method java) {
        String key() {
            return method + " " + path;
        }
    }

    /** Every resource method of the service's classes (those with a class-level {@code @Path}). */
    private static List<Endpoint> endpoints() throws IOException, URISyntaxException, ClassNotFoundException {
        java.nio.file.Path classes = java.nio.file.Path.of(
                ConnectionResource.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Endpoint> endpoints = new ArrayList<>();
        try (Stream<java.nio.file.Path> files = Files.walk(classes)) {
            for (java.nio.file.Path file : (Iterable<java.nio.file.Path>) files
                    .filter(f -> f.toString().endsWith(".class"))::iterator) {
                String name = classes.relativize(file).toString().replace(java.io.File.separatorChar, '.')
                        .replaceAll("\\.class$", "");
                Class<?> type = Class.forName(name, false, ConnectionResource.class.getClassLoader());
                Path root = type.getAnnotation(Path.class);
                if (root == null) {
                    continue;
                }
                for (Method method : type.getDeclaredMethods()) {
                    String http = httpMethod(method);
                    Operation operation = method.getAnnotation(Operation.class);
                    if (operation != null && operation.hidden()) {
                        continue; // the status page: HTML for people, not part of the API
                    }
                    if (http != null) {
                        Path sub = method.getAnnotation(Path.class);
                        endpoints.add(new Endpoint(http, template(root.value() + "/" + (sub == null ? "" : sub.value())),
                                method));
                    }
                }
            }
        }
        return endpoints;
    }

    private static String httpMethod(Method method) {
        for (Annotation annotation : method.getAnnotations()) {
            HttpMethod http = annotation.annotationType().getAnnotation(HttpMethod.class);
            if (http != null) {
                return http.value();
            }
        }
        return null;
    }

    /** {@code /a//b/{id: [0-9]+}/} → {@code /a/b/{id}}. */
    private static String template(String path) {
        String plain = path.replaceAll("\\{\\s*([^}:\\s]+)\\s*(:[^}]*)?}", "{$1}").replaceAll("/+", "/");
        return plain.length() > 1 && plain.endsWith("/") ? plain.substring(0, plain.length() - 1) : plain;
    }

    /** {@code {in, name}} of a path, query or header parameter; null for the body. */
    /** The method's path, query and header parameters, those of its {@code @BeanParam} classes' fields included. */
    private static List<String[]> declaredParameters(Method method) {
        List<String[]> declared = new ArrayList<>();
        for (Parameter parameter : method.getParameters()) {
            if (parameter.getAnnotation(BeanParam.class) != null) {
                for (Field field : parameter.getType().getDeclaredFields()) {
                    add(declared, field);
                }
            } else {
                add(declared, parameter);
            }
        }
        return declared;
    }

    private static void add(List<String[]> declared, AnnotatedElement element) {
        if (element.getAnnotation(PathParam.class) != null) {
            declared.add(new String[] {"path", element.getAnnotation(PathParam.class).value()});
        } else if (element.getAnnotation(QueryParam.class) != null) {
            declared.add(new String[] {"query", element.getAnnotation(QueryParam.class).value()});
        } else if (element.getAnnotation(HeaderParam.class) != null) {
            declared.add(new String[] {"header", element.getAnnotation(HeaderParam.class).value()});
        }
    }

    private static boolean hasParameter(JsonNode operation, String in, String name) {
        for (JsonNode parameter : operation.path("parameters")) {
            if (in.equals(parameter.path("in").asText()) && name.equals(parameter.path("name").asText())) {
                return true;
            }
        }
        return false;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}
