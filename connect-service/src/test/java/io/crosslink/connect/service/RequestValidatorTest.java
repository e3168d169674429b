package io.crosslink.connect.service;

import static io.crosslink.connect.support.TestRequests.json;
import static io.crosslink.connect.support.TestRequests.valid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crosslink.connect.support.ElasticStandIn;
import io.crosslink.events.ConnectionRequest;
import io.crosslink.events.EventCodec;
import io.crosslink.events.SecurityModel;
import io.crosslink.events.Violation;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestValidatorTest {

    @Test
    void validRequestIsReadWithDefaults() {
        RequestValidator.Result result = RequestValidator.validate(valid("my-remote_1"));

        assertTrue(result.valid(), result.violations().toString());
        ConnectionRequest request = result.request();
        assertEquals("my-remote_1", request.alias());
        assertEquals(SecurityModel.API_KEY, request.securityModel());
        assertEquals(ElasticStandIn.LOCAL, request.local().deploymentId());
        assertEquals("ece", request.local().environment());
        assertNull(request.local().refId());
        assertEquals(List.of("demo-*"), request.access().search().get(0).names());
        assertEquals(Boolean.TRUE, request.skipUnavailable(), "skipUnavailable defaults to true");
    }

    @Test
    void explicitSkipUnavailableRefIdAndFullSearchAccessAreKept() {
        ObjectNode body = valid("a");
        body.put("skipUnavailable", false);
        ((ObjectNode) body.get("remote")).put("refId", "main-elasticsearch");
        body.set("access", json("""
                {"search":[{"names":["logs-*"],"query":{"term":{"team":"a"}},
                            "field_security":{"grant":["*"],"except":["secret"]},"allow_restricted_indices":false}]}
                """));

        RequestValidator.Result result = RequestValidator.validate(body);

        assertTrue(result.valid(), result.violations().toString());
        assertEquals(Boolean.FALSE, result.request().skipUnavailable());
        assertEquals("main-elasticsearch", result.request().remote().refId());
        assertEquals(List.of("secret"), result.request().access().search().get(0).fieldSecurity().except());
    }

    @Test
    void searchAndReplicationTogetherWithoutDlsAreValid() {
        ObjectNode body = valid("both");
        body.set("access", json("""
                {"search":[{"names":["logs-*"]}],"replication":[{"names":["archive-*"]}]}
                """));

        assertTrue(RequestValidator.validate(body).valid());
    }

    @Test
    void bodyMustBeAnObject() {
        assertOnly(json("[1,2]"), "body", "must be a JSON object");
    }

    @Test
    void unknownTopLevelField() {
        assertOnly(with(b -> b.put("colour", "blue")), "colour", "unknown field");
    }

    @Test
    void aliasIsRequired() {
        assertOnly(with(b -> b.remove("alias")), "alias", "is required");
    }

    @Test
    void aliasMustBeAString() {
        assertOnly(with(b -> b.put("alias", 7)), "alias", "must be a string");
    }

    @Test
    void aliasWithUppercaseIsRefused() {
        assertOnly(with(b -> b.put("alias", "MyRemote")), "alias", "lowercase letters");
    }

    @Test
    void aliasWithDotIsRefused() {
        assertOnly(with(b -> b.put("alias", "my.remote")), "alias", "lowercase letters");
    }

    @Test
    void blankAliasIsRefused() {
        assertOnly(with(b -> b.put("alias", " ")), "alias", "must not be blank");
    }

    @Test
    void securityModelIsRequired() {
        assertOnly(with(b -> b.remove("securityModel")), "securityModel", "is required");
    }

    @Test
    void unknownSecurityModel() {
        assertOnly(with(b -> b.put("securityModel", "password")), "securityModel", "must be api_key or tls_certificate");
    }

    @Test
    void anApiKeyRequestWithAccessTurnedTlsCertificateIsRefusedForItsAccess() {
        assertOnly(with(b -> b.put("securityModel", "tls_certificate")), "access", "tls_certificate model");
    }

    @Test
    void localIsRequired() {
        assertOnly(with(b -> b.remove("local")), "local", "is required");
    }

    @Test
    void remoteMustBeAnObject() {
        assertOnly(with(b -> b.put("remote", "R")), "remote", "must be an object");
    }

    @Test
    void deploymentEnvironmentIsRequired() {
        assertOnly(with(b -> ((ObjectNode) b.get("local")).remove("environment")), "local.environment", "is required");
    }

    @Test
    void deploymentIdIsRequired() {
        assertOnly(with(b -> ((ObjectNode) b.get("remote")).remove("deploymentId")), "remote.deploymentId", "is required");
    }

    @Test
    void deploymentIdMustBeAPlainIdentifier() {
        assertOnly(with(b -> ((ObjectNode) b.get("remote")).put("deploymentId", "../admin")), "remote.deploymentId",
                "must be a deployment id");
    }

    @Test
    void refIdMustBeAPlainIdentifier() {
        assertOnly(with(b -> ((ObjectNode) b.get("local")).put("refId", "a/b")), "local.refId", "must be a ref_id");
    }

    @Test
    void unknownDeploymentField() {
        assertOnly(with(b -> ((ObjectNode) b.get("local")).put("region", "x")), "local.region", "unknown field");
    }

    @Test
    void accessIsRequired() {
        assertOnly(with(b -> b.remove("access")), "access", "is required");
    }

    @Test
    void emptyAccessIsRefused() {
        assertOnly(with(b -> b.set("access", json("{}"))), "access", RequestValidator.NO_ACCESS);
    }

    @Test
    void emptySearchAndReplicationListsAreRefused() {
        assertOnly(with(b -> b.set("access", json("{\"search\":[],\"replication\":[]}"))), "access",
                RequestValidator.NO_ACCESS);
    }

    @Test
    void searchMustBeAList() {
        assertOnly(with(b -> b.set("access", json("{\"search\":{\"names\":[\"a\"]}}"))), "access.search", "must be a list");
    }

    @Test
    void unknownAccessField() {
        assertOnly(with(b -> b.set("access", json("{\"search\":[{\"names\":[\"a\"]}],\"cluster\":[\"all\"]}"))),
                "access.cluster", "unknown field");
    }

    @Test
    void searchNamesAreRequired() {
        assertOnly(with(b -> b.set("access", json("{\"search\":[{\"query\":{\"match_all\":{}}}]}"))),
                "access.search[0].names", "is required");
    }

    @Test
    void searchNamesMustNotBeEmpty() {
        assertOnly(with(b -> b.set("access", json("{\"search\":[{\"names\":[]}]}"))), "access.search[0].names",
                "non-empty list");
    }

    @Test
    void searchNameMustBeANonEmptyString() {
        assertOnly(with(b -> b.set("access", json("{\"search\":[{\"names\":[\"ok\",\"\"]}]}"))),
                "access.search[0].names[1]", "non-empty string");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "other:idx | must not contain ':'",
            "*:logs | must not contain ':'",
            "Logs-* | must be lowercase",
            "logs?2026 | must not contain '?'",
            "a b | must not contain 'space'",
            "logs,metrics | must not contain ','",
            "_internal | must not start with '_'",
            "+plus | must not start with '_' or '+'",
            ".. | must not be '.' or '..'",
            "/logs-.*/ | not a regular expression",
            "- | must name an index after '-'",
            "-Other:x | must not contain ':'"})
    void searchNamesFollowElasticsearchIndexNameRules(String name, String reason) {
        assertOnly(with(b -> b.set("access", json("{\"search\":[{\"names\":[\"ok-*\"," + quoted(name) + "]}]}"))),
                "access.search[0].names[1]", reason);
    }

    @Test
    void replicationNamesFollowTheSameRules() {
        assertOnly(with(b -> b.set("access", json("{\"replication\":[{\"names\":[\"leader:idx\"]}]}"))),
                "access.replication[0].names[0]", "must not contain ':'");
    }

    @Test
    void indexNamesAndPatternsElasticsearchAcceptsAreKept() {
        for (String name : List.of("logs-*", "*", ".ds-logs-2026.12.06-000001", "-logs-old-*", "été-logs",
                "a".repeat(IndexNames.MAX_BYTES))) {
            RequestValidator.Result result = RequestValidator.validate(with(b -> b.set("access",
                    json("{\"search\":[{\"names\":[" + quoted(name) + "]}]}"))));
            assertTrue(result.valid(), name + ": " + result.violations());
        }
        assertOnly(with(b -> b.set("access", json("{\"search\":[{\"names\":[" + quoted("é".repeat(128)) + "]}]}"))),
                "access.search[0].names[0]", "at most 255 bytes");
    }

    @Test
    void aDeploymentCannotBeItsOwnRemote() {
        assertOnly(with(b -> b.set("remote", b.get("local").deepCopy())), "remote.deploymentId",
                "cannot be its own remote");
        JsonNode sameIdElsewhere = with(b -> {
            ObjectNode remote = b.get("local").deepCopy();
            remote.put("environment", "other-environment");
            b.set("remote", remote);
        });
        assertTrue(RequestValidator.validate(sameIdElsewhere).valid(), "another environment's deployment");
    }

    private static String quoted(String text) {
        return EventCodec.mapper().getNodeFactory().textNode(text).toString();
    }

    @Test
    void replicationNamesAreRequired() {
        assertOnly(with(b -> b.set("access", json("{\"replication\":[{}]}"))), "access.replication[0].names",
                "is required");
    }

    @Test
    void privilegesAreNotAllowedInAnEntry() {
        assertOnly(with(b -> b.set("access", json("{\"search\":[{\"names\":[\"a\"],\"privileges\":[\"read\"]}]}"))),
                "access.search[0].privileges", "must not be present");
    }

    @Test
    void unknownSearchEntryField() {
        assertOnly(with(b -> b.set("access", json("{\"search\":[{\"names\":[\"a\"],\"indices\":[\"b\"]}]}"))),
                "access.search[0].indices", "unknown field");
    }

    @Test
    void allowRestrictedIndicesMustBeBoolean() {
        assertOnly(with(b -> b.set("access", json("{\"search\":[{\"names\":[\"a\"],\"allow_restricted_indices\":\"no\"}]}"))),
                "access.search[0].allow_restricted_indices", "true or false");
    }

    @Test
    void queryMustBeAnObjectOrString() {
        assertOnly(with(b -> b.set("access", json("{\"search\":[{\"names\":[\"a\"],\"query\":5}]}"))),
                "access.search[0].query", "query object");
    }

    @Test
    void fieldSecurityListsMustHoldFieldNames() {
        assertOnly(with(b -> b.set("access", json("{\"search\":[{\"names\":[\"a\"],\"field_security\":{\"grant\":\"*\"}}]}"))),
                "access.search[0].field_security.grant", "list of field names");
    }

    @Test
    void documentLevelSecurityOnSearchIsRefusedWhenReplicationIsAssigned() {
        assertOnly(with(b -> b.set("access", json("""
                {"search":[{"names":["a"],"query":{"match_all":{}}}],"replication":[{"names":["b"]}]}
                """))), "access.search[0].query", RequestValidator.DLS_WITH_REPLICATION);
    }

    @Test
    void fieldLevelSecurityOnSearchIsRefusedWhenReplicationIsAssigned() {
        assertOnly(with(b -> b.set("access", json("""
                {"search":[{"names":["a"],"field_security":{"grant":["*"]}}],"replication":[{"names":["b"]}]}
                """))), "access.search[0].field_security", RequestValidator.DLS_WITH_REPLICATION);
    }

    @Test
    void replicationDoesNotSupportDocumentLevelSecurity() {
        assertOnly(with(b -> b.set("access", json("{\"replication\":[{\"names\":[\"b\"],\"query\":{\"match_all\":{}}}]}"))),
                "access.replication[0].query", RequestValidator.DLS_ON_REPLICATION);
    }

    @Test
    void replicationEntriesTakeOnlyNames() {
        assertOnly(with(b -> b.set("access", json("{\"replication\":[{\"names\":[\"b\"],\"allow_restricted_indices\":true}]}"))),
                "access.replication[0].allow_restricted_indices", "take only names");
    }

    @Test
    void skipUnavailableMustBeBoolean() {
        assertOnly(with(b -> b.put("skipUnavailable", "yes")), "skipUnavailable", "true or false");
    }

    @Test
    void everyViolationIsReported() {
        JsonNode body = json("""
                {"alias":"Bad.Alias","securityModel":"api_key","local":{"environment":"ece"},
                 "access":{"replication":[{"names":[]}]}}
                """);

        RequestValidator.Result result = RequestValidator.validate(body);

        assertFalse(result.valid());
        assertEquals(List.of("alias", "local.deploymentId", "remote", "access.replication[0].names"),
                result.violations().stream().map(Violation::field).toList());
    }

    @Test
    void partialRequestKeepsWhatCouldBeRead() {
        ConnectionRequest partial = RequestValidator.partial(json("""
                {"alias":"x","securityModel":"nope","local":{"environment":"ece","deploymentId":7},"access":"all"}
                """));

        assertEquals("x", partial.alias());
        assertNull(partial.securityModel());
        assertEquals("ece", partial.local().environment());
        assertNull(partial.local().deploymentId());
        assertNull(partial.remote());
        assertNull(partial.access());
    }

    private static JsonNode with(Consumer<ObjectNode> change) {
        ObjectNode body = valid("good");
        change.accept(body);
        return body;
    }

    private static void assertOnly(JsonNode body, String field, String reasonPart) {
        RequestValidator.Result result = RequestValidator.validate(body);
        assertFalse(result.valid(), "expected a violation of " + field);
        assertNull(result.request());
        assertEquals(1, result.violations().size(), result.violations().toString());
        Violation violation = result.violations().get(0);
        assertEquals(field, violation.field());
        assertTrue(violation.reason().contains(reasonPart), violation.reason());
    }
}
