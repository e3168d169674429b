package io.crosslink.connect.support;

import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import io.restassured.RestAssured;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;

/**
 * Makes every RestAssured request of the {@code @QuarkusTest}s carry {@link TestTokens#admin()} unless it sends an
 * {@code Authorization} header of its own (a test's other token; the Basic credentials the Elastic stand-in wants).
 * A filter rather than a default header: RestAssured would send both. Registered in
 * {@code META-INF/services/io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback}.
 */
public class AdminTokenCallback implements QuarkusTestBeforeEachCallback {

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        if (RestAssured.filters().stream().noneMatch(AdminToken.class::isInstance)) {
            RestAssured.filters(new AdminToken());
        }
    }

    /** Adds the admin's bearer token to a request without credentials. */
    static final class AdminToken implements Filter {
        @Override
        public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification response,
                FilterContext context) {
            if (!request.getHeaders().hasHeaderWithName("Authorization")) {
                request.header("Authorization", "Bearer " + TestTokens.admin());
            }
            return context.next(request, response);
        }
    }
}
