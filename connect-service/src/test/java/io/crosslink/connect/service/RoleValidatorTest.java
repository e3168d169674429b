package io.crosslink.connect.service;

import static io.crosslink.connect.support.TestRequests.json;
import static io.crosslink.connect.support.TestRequests.valid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crosslink.events.RoleRequest;
import io.crosslink.events.Violation;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The request's {@code roles}: well formed, and never wider than the connection's access. */
class RoleValidatorTest {

    private static RequestValidator.Result validate(String access, String roles) {
        ObjectNode body = valid("a");
        body.set("access", json(access));
        body.set("roles", json(roles));
        return RequestValidator.validate(body);
    }

    private static List<String> fields(RequestValidator.Result result) {
        return result.violations().stream().map(Violation::field).toList();
    }

    @Test
    void rolesWithinTheAccessAreKept() {
        RequestValidator.Result result = validate("""
                {"search":[{"names":["demo-*","logs-2024"]}],"replication":[{"names":["archive-*"]}]}""", """
                [{"name":"demo-reader","indices":[{"names":["demo-index","demo-a*","logs-2024"],
                                                   "privileges":["read","view_index_metadata","read_cross_cluster"]}]},
                 {"name":"archiver","indices":[{"names":["archive-2024"],"privileges":["cross_cluster_replication"]}]}]""");

        assertTrue(result.valid(), result.violations().toString());
        List<RoleRequest> roles = result.request().roles();
        assertEquals(2, roles.size());
        assertEquals("demo-reader", roles.get(0).name());
        assertEquals(List.of("demo-index", "demo-a*", "logs-2024"), roles.get(0).indices().get(0).names());
        assertEquals(List.of("cross_cluster_replication"), roles.get(1).indices().get(0).privileges());
    }

    @Test
    void noRolesOrAnEmptyListMeanNone() {
        assertNull(RequestValidator.validate(valid("a")).request().roles());
        RequestValidator.Result empty = validate("{\"search\":[{\"names\":[\"demo-*\"]}]}", "[]");
        assertTrue(empty.valid(), empty.violations().toString());
        assertNull(empty.request().roles());
    }

    @Test
    void indexNamesOutsideTheAccessAreRefusedWithTheirPath() {
        RequestValidator.Result result = validate("{\"search\":[{\"names\":[\"demo-index\"]}]}", """
                [{"name":"r","indices":[{"names":["demo-index","demo-*","other"],"privileges":["read"]}]}]""");

        assertFalse(result.valid());
        assertEquals(List.of("roles[0].indices[0].names[1]", "roles[0].indices[0].names[2]"), fields(result));
        assertTrue(result.violations().get(0).reason().contains("not within the connection's access"),
                result.violations().toString());
    }

    @Test
    void privilegesBeyondWhatTheAccessGrantsAreRefused() {
        RequestValidator.Result result = validate("{\"search\":[{\"names\":[\"demo-*\"]}]}", """
                [{"name":"r","indices":[{"names":["demo-index"],"privileges":["read","write","all"]}]},
                 {"name":"s","indices":[{"names":["demo-index"],"privileges":["cross_cluster_replication"]}]}]""");

        assertEquals(List.of("roles[0].indices[0].privileges[1]", "roles[0].indices[0].privileges[2]",
                "roles[1].indices[0].privileges[0]"), fields(result));
        assertTrue(result.violations().get(0).reason().contains("read"), result.violations().toString());
    }

    @Test
    void searchAndReplicationNamesNeedSeparateEntries() {
        RequestValidator.Result result = validate("""
                {"search":[{"names":["demo-*"]}],"replication":[{"names":["archive-*"]}]}""", """
                [{"name":"r","indices":[{"names":["demo-index","archive-1"],"privileges":["read"]}]}]""");

        assertEquals(List.of("roles[0].indices[0].privileges[0]"), fields(result));
        assertTrue(result.violations().get(0).reason().contains("separate entries"), result.violations().toString());
    }

    @Test
    void malformedRolesAreNamedFieldByField() {
        RequestValidator.Result result = validate("{\"search\":[{\"names\":[\"demo-*\"]}]}", """
                [{"name":"_reserved","indices":[{"names":["demo-1"],"privileges":["read"]}]},
                 {"indices":[]},
                 {"name":"bad name","indices":[{"names":[],"privileges":["read"],"query":{}}],"cluster":["all"]},
                 {"name":"dup","indices":[{"names":["demo-1"],"privileges":["read"]}]},
                 {"name":"dup","indices":[{"names":["demo-1"],"privileges":["read"]}]},
                 "text"]""");

        assertEquals(List.of("roles[0].name", "roles[1].name", "roles[1].indices", "roles[2].cluster", "roles[2].name",
                "roles[2].indices[0].query", "roles[2].indices[0].names", "roles[4].name", "roles[5]"), fields(result));
        assertEquals(List.of("roles"), fields(validate("{\"search\":[{\"names\":[\"demo-*\"]}]}", "{}")));
    }

    @Test
    void aPatternIsCoveredOnlyByAPatternThatMatchesEverythingItMatches() {
        assertTrue(RoleValidator.covers("demo-*", "demo-index"));
        assertTrue(RoleValidator.covers("demo-*", "demo-*"));
        assertTrue(RoleValidator.covers("demo-*", "demo-a*"));
        assertTrue(RoleValidator.covers("*", "anything*"));
        assertTrue(RoleValidator.covers("logs-*-prod", "logs-eu-*-prod"));
        assertFalse(RoleValidator.covers("demo-index", "demo-*"));
        assertFalse(RoleValidator.covers("demo-a*", "demo-*"));
        assertFalse(RoleValidator.covers("logs-*-prod", "logs-*"));
        assertFalse(RoleValidator.covers("demo-*", "other"));
        assertTrue(RoleValidator.coveredBy(List.of(List.of("/demo-.*/")), "/demo-.*/"));
        assertFalse(RoleValidator.coveredBy(List.of(List.of("*")), "/.*/"), "a regular expression only by itself");
    }
}
