package io.crosslink.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.crosslink.e2e.support.ConnectService;
import io.crosslink.e2e.support.E2eStack;
import io.crosslink.e2e.support.E2eStackExtension;
import io.crosslink.e2e.support.Http;
import io.crosslink.e2e.support.Requests;
import io.crosslink.events.ConnectionStatus;
import io.crosslink.events.EventCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * connect-service's published contract against the real service: the OpenAPI document it serves on its API port
 * without a token ({@code /q/openapi}, Swagger UI beside it), and its real answers along a whole saga (202, a
 * VERIFIED document with its full timeline, the list, 400, 401, 404, 409, the DELETE and the DISCONNECTED document),
 * each validated against the schema the document names for that operation and status.
 */
@Order(5)
@ExtendWith(E2eStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiContractTest {
    private static final String ALIAS = "e2e-openapi";
    private static final String ONE = ConnectService.CONNECTIONS + "/{id}";
    private static final String JSON = "application/json";
    private static final String PROBLEM = "application/problem+json";

    private E2eStack stack;
    private ConnectService connect;

    @BeforeAll
    void connectTo(E2eStack stack) {
        assumeTrue(stack.servicesRunning(), "the services are not running (crosslink.e2e.services=false)");
        this.stack = stack;
        connect = new ConnectService(stack.connectUrl());
    }

    @Test
    void theDocumentAndSwaggerUiAreServedWithoutAToken() {
        Http.Response document = Http.get(stack.connectUrl() + "/q/openapi?format=json");
        assertEquals(200, document.status(), document.toString());
        assertTrue(document.json().path("openapi").asText().startsWith("3.1"), document.toString());
        assertTrue(document.json().path("paths").has(ConnectService.CONNECTIONS), "the connections API is described");

        Http.Response ui = Http.get(stack.connectUrl() + "/q/swagger-ui/");
        assertEquals(200, ui.status(), ui.toString());
        assertTrue(ui.header("Content-Type").orElse("").startsWith("text/html"), ui.headers().toString());
    }

    @Test
    void realAnswersAlongASagaConformToTheServedDocument() {
        Contract contract = new Contract(Http.get(stack.connectUrl() + "/q/openapi?format=json").body());
        ObjectNode request = Requests.demo(ALIAS);
        assertEquals(List.of(), contract.violations(contract.requestSchema(), request.toString()),
                "the README's request conforms to the documented request body");

        Http.Response accepted = connect.create(request.toString());
        contract.assertConforms(ConnectService.CONNECTIONS, "post", accepted);
        assertEquals(202, accepted.status(), accepted.toString());
        String id = accepted.json().path("id").asText();

        Http.Response taken = connect.create(request.toString());
        assertEquals(409, taken.status(), "the alias is taken by the live connection: " + taken);
        contract.assertConforms(ConnectService.CONNECTIONS, "post", taken);
        ObjectNode unknownField = Requests.demo(ALIAS + "-unknown").put("colour", "blue");
        assertFalse(contract.violations(contract.requestSchema(), unknownField.toString()).isEmpty(),
                "the document refuses unknown fields, as the service does");
        Http.Response invalid = connect.create(unknownField.toString());
        assertEquals(400, invalid.status(), invalid.toString());
        contract.assertConforms(ConnectService.CONNECTIONS, "post", invalid);
        Http.Response absent = connect.get("no-such-connection");
        assertEquals(404, absent.status(), absent.toString());
        contract.assertConforms(ONE, "get", absent);
        Http.Response anonymous = Http.get(stack.connectUrl() + ConnectService.CONNECTIONS);
        assertEquals(401, anonymous.status(), anonymous.toString());
        contract.assertConforms(ConnectService.CONNECTIONS, "get", anonymous);

        connect.awaitStatus(id, ConnectionStatus.VERIFIED);
        contract.assertConforms(ONE, "get", connect.get(id));
        contract.assertConforms(ConnectService.CONNECTIONS, "get", connect.list(ALIAS, E2eStack.LOCAL_ID));

        Http.Response deleted = connect.delete(id);
        assertEquals(202, deleted.status(), deleted.toString());
        contract.assertConforms(ONE, "delete", deleted);
        connect.awaitStatus(id, ConnectionStatus.DISCONNECTED);
        contract.assertConforms(ONE, "get", connect.get(id));
    }

    /**
     * The served document as a JSON Schema resource (OpenAPI 3.1 schemas are JSON Schema 2020-12): an answer is
     * validated against the component schema its operation's response names, refs resolved in the whole document.
     */
    private static final class Contract {
        private static final String IRI = "https://crosslink.e2e/openapi.json";
        private static final String SCHEMAS = "#/components/schemas/";
        private static final String RESPONSES = "#/components/responses/";
        private final JsonNode document;
        private final SchemaRegistry registry;

        Contract(String json) {
            try {
                document = EventCodec.mapper().readTree(json);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                    builder -> builder.schemas(Map.of(IRI, json)));
        }

        String requestSchema() {
            JsonNode body = document.path("paths").path(ConnectService.CONNECTIONS).path("post").path("requestBody");
            return name(body.path("content").path(JSON).path("schema"), "the POST body");
        }

        void assertConforms(String path, String method, Http.Response answer) {
            JsonNode response = document.path("paths").path(path).path(method).path("responses")
                    .path(Integer.toString(answer.status()));
            assertFalse(response.isMissingNode(), method + " " + path + ": status " + answer.status()
                    + " is not documented: " + answer);
            String ref = response.path("$ref").asText("");
            if (ref.startsWith(RESPONSES)) {
                response = document.path("components").path("responses").path(ref.substring(RESPONSES.length()));
            }
            String mediaType = answer.header("Content-Type").orElse("").split(";")[0].trim();
            assertTrue(mediaType.equals(answer.status() < 300 ? JSON : PROBLEM), answer + " as " + mediaType);
            String schema = name(response.path("content").path(mediaType).path("schema"),
                    method + " " + path + " " + answer.status() + " " + mediaType);
            assertEquals(List.of(), violations(schema, answer.body()), answer.toString());
        }

        List<String> violations(String schema, String body) {
            try {
                return registry.getSchema(SchemaLocation.of(IRI + SCHEMAS + schema))
                        .validate(EventCodec.mapper().readTree(body)).stream().map(Error::toString).toList();
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        private static String name(JsonNode schema, String what) {
            String ref = schema.path("$ref").asText("");
            assertTrue(ref.startsWith(SCHEMAS), what + " is not a component schema: " + schema);
            return ref.substring(SCHEMAS.length());
        }
    }
}
