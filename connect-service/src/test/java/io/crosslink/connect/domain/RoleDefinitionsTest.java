package io.crosslink.connect.domain;

import static io.crosslink.connect.support.TestRequests.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.crosslink.events.RoleRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The role bodies the saga writes on L and writes back when it undoes them. */
class RoleDefinitionsTest {
    private static final RoleRequest READER = new RoleRequest("reader",
            List.of(new RoleRequest.Indices(List.of("demo-index"), List.of("read", "view_index_metadata"))));

    @Test
    void aNewRoleGrantsRemoteIndicesOnTheAliasOnlyAndRemoteEnrichFrom815() {
        JsonNode body = RoleDefinitions.applied(null, READER, "eu", "c-1", "8.19.21");

        assertEquals(json("""
                {"remote_indices":[{"clusters":["eu"],"names":["demo-index"],"privileges":["read","view_index_metadata"]}],
                 "remote_cluster":[{"clusters":["eu"],"privileges":["monitor_enrich"]}],
                 "metadata":{"managed_by":"crosslink","connection_id":"c-1","alias":"eu"}}"""), body);
        assertFalse(RoleDefinitions.applied(null, READER, "eu", "c-1", "8.14.3").has("remote_cluster"),
                "remote_cluster came with 8.15");
        assertTrue(RoleDefinitions.applied(null, READER, "eu", "c-1", "9.1.0").has("remote_cluster"));
        assertFalse(RoleDefinitions.applied(null, new RoleRequest("r", List.of(new RoleRequest.Indices(List.of("a-1"),
                List.of("cross_cluster_replication")))), "eu", "c-1", "8.19.21").has("remote_cluster"),
                "no remote enrich for a replication-only role");
    }

    @Test
    void aPreExistingRoleKeepsEverythingButItsEntriesForTheAlias() {
        JsonNode previous = json("""
                {"cluster":["monitor"],"indices":[{"names":["local-*"],"privileges":["read"],"allow_restricted_indices":false}],
                 "applications":[],"run_as":[],"metadata":{"owner":"team"},"transient_metadata":{"enabled":true},
                 "remote_indices":[{"clusters":["other"],"names":["x"],"privileges":["read"]},
                                   {"clusters":["eu"],"names":["old"],"privileges":["read"]}]}""");

        JsonNode body = RoleDefinitions.applied(previous, READER, "eu", "c-1", "8.14.0");

        assertEquals(previous.get("cluster"), body.get("cluster"));
        assertEquals(previous.get("indices"), body.get("indices"));
        assertEquals(previous.get("metadata"), body.get("metadata"), "an updated role keeps its metadata");
        assertFalse(body.has("transient_metadata"), "read-only, not written back");
        assertEquals(json("""
                [{"clusters":["other"],"names":["x"],"privileges":["read"]},
                 {"clusters":["eu"],"names":["demo-index"],"privileges":["read","view_index_metadata"]}]"""),
                body.get("remote_indices"));
        assertEquals(body, RoleDefinitions.applied(previous, READER, "eu", "c-1", "8.14.0"), "the same every time");
    }

    @Test
    void theRestoredDefinitionIsThePreviousOneAsPutTakesIt() {
        JsonNode previous = json("""
                {"cluster":["monitor"],"indices":[],"metadata":{},"transient_metadata":{"enabled":true},"description":"d"}""");

        assertEquals(json("{\"cluster\":[\"monitor\"],\"indices\":[],\"metadata\":{},\"description\":\"d\"}"),
                RoleDefinitions.writable(previous));
    }

    @Test
    void theRoleIsReadFromTheGetAnswer() {
        assertEquals(json("{\"cluster\":[]}"), RoleDefinitions.fromGet(json("{\"r\":{\"cluster\":[]}}"), "r"));
        assertNull(RoleDefinitions.fromGet(json("{}"), "r"));
    }
}
