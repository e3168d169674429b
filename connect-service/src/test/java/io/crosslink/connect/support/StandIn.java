package io.crosslink.connect.support;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.http.ContentType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.eclipse.microprofile.config.ConfigProvider;

/** The Elasticsearch of one local deployment of {@link ElasticStandIn}, as the tests inspect and disturb it. */
public final class StandIn {
    private final String url;

    private StandIn(String url) {
        this.url = url;
    }

    /** The stand-in Elasticsearch of a configured local deployment. */
    public static StandIn of(String deploymentId) {
        return new StandIn(ConfigProvider.getConfig()
                .getValue("crosslink.deployments." + deploymentId + ".elasticsearch-url", String.class));
    }

    /** {@code GET /_cluster/settings} as the configured user. */
    public JsonNode clusterSettings() {
        String credentials = Base64.getEncoder().encodeToString(
                (ElasticStandIn.ES_USER + ":" + ElasticStandIn.ES_PASSWORD).getBytes(StandardCharsets.UTF_8));
        return TestRequests.json(given().header("Authorization", "Basic " + credentials)
                .get(url + "/_cluster/settings").then().statusCode(200).extract().asString());
    }

    /** L's persistent settings of the alias; an empty node when it is not registered. */
    public JsonNode remote(String alias) {
        return clusterSettings().path("persistent").path("cluster").path("remote").path(alias);
    }

    /** Every PUT _cluster/settings body that touched {@code alias}, oldest first. */
    public List<JsonNode> requestsFor(String alias) {
        JsonNode all = TestRequests.json(given().get(url + "/_stand_in/requests").then().statusCode(200).extract().asString());
        List<JsonNode> matching = new ArrayList<>();
        all.path("requests").forEach(body -> {
            if (body.path("persistent").path("cluster").path("remote").has(alias)) {
                matching.add(body);
            }
        });
        return matching;
    }

    /** The role as the stand-in stores it (what was last written), or null when there is none. */
    public JsonNode storedRole(String name) {
        var response = given().get(url + "/_stand_in/roles/" + name);
        return response.statusCode() == 404 ? null : TestRequests.json(response.asString());
    }

    /** {@code PUT /_security/role/{name}} as the configured user. */
    public void putRole(String name, String body) {
        String credentials = Base64.getEncoder().encodeToString(
                (ElasticStandIn.ES_USER + ":" + ElasticStandIn.ES_PASSWORD).getBytes(StandardCharsets.UTF_8));
        given().header("Authorization", "Basic " + credentials).contentType(ContentType.JSON).body(body)
                .put(url + "/_security/role/" + name).then().statusCode(200);
    }

    /** Injects a fault: {@code {"status","times","retryAfterSeconds","on":"remove|register|any"}}. */
    public void fault(String spec) {
        given().contentType(ContentType.JSON).body(spec).post(url + "/_stand_in/faults").then().statusCode(201);
    }

    /** The ECE remote-clusters list the stand-in keeps for this deployment (as written, no info). */
    public JsonNode eceRemoteClusters() {
        return TestRequests.json(given().get(url + "/_stand_in/remote-clusters").then().statusCode(200).extract()
                .asString());
    }

    /** Puts entries into the ECE remote-clusters list as someone else did before (no settings written). */
    public void seedEceRemoteClusters(String remoteResourcesJson) {
        given().contentType(ContentType.JSON).body(remoteResourcesJson).put(url + "/_stand_in/remote-clusters").then()
                .statusCode(200);
    }

    /** Elasticsearch drops the remote {@code alias} (gone from {@code _remote/info}); its settings stay. */
    public void lose(String alias) {
        given().post(url + "/_stand_in/lose/" + alias).then().statusCode(200);
    }

    /** How often {@code _remote/info} was read on this deployment. */
    public int remoteInfoReads() {
        return given().get(url + "/_stand_in/remote-info-reads").then().statusCode(200).extract().path("reads");
    }

    public void clearFaults() {
        given().delete(url + "/_stand_in/faults").then().statusCode(204);
    }
}
