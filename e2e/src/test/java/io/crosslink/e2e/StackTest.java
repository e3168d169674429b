package io.crosslink.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crosslink.deploy.SimDeployment;
import io.crosslink.e2e.support.E2eStack;
import io.crosslink.e2e.support.E2eStackExtension;
import io.crosslink.e2e.support.Elastic;
import io.crosslink.e2e.support.Http;
import java.sql.Connection;
import java.sql.DriverManager;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The stack the scenarios run on: cloud-sim's demo deployments on the e2e addresses, a database per service. */
@Order(1)
@ExtendWith(E2eStackExtension.class)
class StackTest {

    @Test
    void cloudSimPlaysTheDemoDeploymentsOnTheE2eAddresses(E2eStack stack) {
        SimDeployment local = stack.deployment(E2eStack.LOCAL_ID);
        SimDeployment remote = stack.deployment(E2eStack.REMOTE_ID);
        assertEquals("ece", local.environment());
        assertEquals("ess", remote.environment());
        assertEquals("http://" + E2eStack.LOCAL_ADDRESS + ":9243", local.serviceUrl());
        assertEquals("http://" + E2eStack.REMOTE_ADDRESS + ":9243", remote.serviceUrl());

        Http.Response count = new Elastic(stack).elasticsearch(E2eStack.REMOTE_ID, "GET", "/" + E2eStack.SEED_INDEX + "/_count");
        assertEquals(200, count.status(), count.toString());
        assertEquals(5, count.json().path("count").asInt(), count.toString());
    }

    @Test
    void everyServiceHasItsOwnDatabase(E2eStack stack) throws Exception {
        for (String database : E2eStack.DATABASES) {
            try (Connection connection = DriverManager.getConnection(stack.postgres().jdbcUrl(database),
                    stack.postgres().username(), stack.postgres().password())) {
                assertTrue(connection.isValid(5), database);
                assertEquals(database, connection.getCatalog());
            }
        }
    }
}
