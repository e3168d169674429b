package io.crosslink.connect.health;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import io.crosslink.connect.support.ElasticStandIn;
import io.crosslink.connect.support.JwtTestResource;
import io.crosslink.testsupport.KafkaTestResource;
import io.crosslink.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Readiness is gated by Kafka and the database, and carries each Cloud API environment's reachability as data
 * without being gated by it; health needs no token.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "connect"))
@QuarkusTestResource(ElasticStandIn.class)
@QuarkusTestResource(JwtTestResource.class)
class HealthTest {

    @Test
    void readinessCoversKafkaAndTheDatabase() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("Database connections health check",
                        "SmallRye Reactive Messaging - readiness check", "Cloud API reachability"))
                .body("checks.find { it.name == 'Database connections health check' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'SmallRye Reactive Messaging - readiness check' }.data",
                        not(equalTo(null)));
    }

    @Test
    void eachCloudEnvironmentsReachabilityIsReportedWithoutItsApiKey() {
        // The stand-in answers the ECE account with 200 and has no Elastic Cloud account endpoint (404): both
        // environments answer HTTP, so both are reachable, and the check is UP whatever they answered.
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/q/health/ready").then()
                .body("checks.find { it.name == 'Cloud API reachability' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'Cloud API reachability' }.data.ece", startsWith("reachable (HTTP 200"))
                .body("checks.find { it.name == 'Cloud API reachability' }.data.ess", startsWith("reachable (HTTP 404")));
        given().get("/q/health/ready").then()
                .body(not(containsString(ElasticStandIn.ECE_KEY)))
                .body(not(containsString(ElasticStandIn.ESS_KEY)));
    }
}
