package io.crosslink.connect.service;

import static io.crosslink.connect.support.TestRequests.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.crosslink.events.DeploymentInfo;
import io.crosslink.events.DeploymentRef;
import io.crosslink.events.Violation;
import org.junit.jupiter.api.Test;

class DeploymentFactsTest {
    /** Trimmed DeploymentGetResponse in the shape of the spec (and cloud-sim). */
    private static final JsonNode DEPLOYMENT = json("""
            {"id":"d1","name":"remote","resources":{"elasticsearch":[
              {"ref_id":"main-elasticsearch","id":"cluster-a","region":"gcp-us-central1",
               "info":{"cluster_id":"cluster-a","metadata":{"endpoint":"a.example.com","service_url":"https://a.example.com:9243"},
                       "plan_info":{"current":{"plan":{"elasticsearch":{"version":"8.15.1"}}}}}},
              {"ref_id":"second","id":"cluster-b",
               "info":{"metadata":{"endpoint":"b.example.com"},
                       "plan_info":{"current":{"plan":{"elasticsearch":{"version":"8.13.2"}}}}}}]}}
            """);

    @Test
    void readsTheFirstElasticsearchResourceByDefault() {
        DeploymentFacts.Outcome outcome = DeploymentFacts.read(new DeploymentRef("ess", "d1", null), "remote", DEPLOYMENT);

        assertTrue(outcome.violations().isEmpty(), outcome.violations().toString());
        assertEquals(new DeploymentInfo("ess", "d1", "main-elasticsearch", "cluster-a", "a.example.com", "8.15.1"),
                outcome.info());
    }

    @Test
    void readsTheNamedResourceAndChecksItsVersion() {
        DeploymentFacts.Outcome outcome = DeploymentFacts.read(new DeploymentRef("ess", "d1", "second"), "remote", DEPLOYMENT);

        assertNull(outcome.info());
        Violation violation = outcome.violations().get(0);
        assertEquals("remote.deploymentId", violation.field());
        assertTrue(violation.reason().contains("8.13.2 is too old"), violation.reason());
    }

    @Test
    void anUnknownRefIdIsNamed() {
        DeploymentFacts.Outcome outcome = DeploymentFacts.read(new DeploymentRef("ess", "d1", "nope"), "local", DEPLOYMENT);

        assertEquals("local.refId", outcome.violations().get(0).field());
    }

    @Test
    void aDeploymentWithoutElasticsearchIsRefused() {
        DeploymentFacts.Outcome outcome = DeploymentFacts.read(new DeploymentRef("ess", "d1", null), "local",
                json("{\"id\":\"d1\",\"resources\":{\"elasticsearch\":[],\"kibana\":[]}}"));

        assertEquals("local.deploymentId", outcome.violations().get(0).field());
        assertTrue(outcome.violations().get(0).reason().contains("no Elasticsearch resource"));
    }

}
