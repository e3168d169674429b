package io.crosslink.connect.service;

import static io.crosslink.connect.support.TestRequests.alias;
import static io.crosslink.connect.support.TestRequests.valid;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.crosslink.connect.domain.Connection;
import io.crosslink.connect.domain.Fingerprint;
import io.crosslink.connect.domain.PendingWork;
import io.crosslink.connect.support.Connections;
import io.crosslink.connect.support.ElasticStandIn;
import io.crosslink.connect.support.JwtTestResource;
import io.crosslink.events.ConnectionRequest;
import io.crosslink.testsupport.KafkaTestResource;
import io.crosslink.testsupport.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.crosslink.runtime.work.WorkItem;
import io.crosslink.runtime.work.WorkQueue;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Work left in the database (as a crash between acceptance and the checks leaves it: a work item, once leased by
 * the dead instance) is picked up by the dispatcher's polling, without the after-commit wake-up a live request gives.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "connect"))
@QuarkusTestResource(ElasticStandIn.class)
@QuarkusTestResource(JwtTestResource.class)
class PendingWorkResumeTest {
    @Inject
    WorkQueue work;

    @Test
    void pendingChecksLeftByAnEarlierRunAreResumed() {
        ConnectionRequest request = RequestValidator.validate(valid(alias("resume"))).request();
        String id = QuarkusTransaction.requiringNew().call(() -> {
            Connection connection = Connection.requested(request, Fingerprint.of(request), null, null);
            connection.persist();
            connection.schedule(PendingWork.CHECKS);
            WorkItem item = work.enqueue(PendingWork.CHECKS.kind(), connection.id, List.of("ece/" + connection.id),
                    "connect-step", PendingWork.CHECKS.name());
            // Leased by an instance that died a moment ago.
            item.leaseOwner = "dead-instance";
            item.leaseUntil = Instant.now().plusSeconds(2);
            return connection.id;
        });

        Connections.awaitStatus(id, "REQUESTED", "validate");
        given().get("/api/v1/connections/{id}", id).then().body("timeline[0].event", equalTo("ConnectionRequested"));
    }
}
