package io.crosslink.connect.property;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.crosslink.connect.property.HostileRequests.Body;
import io.crosslink.connect.rest.ConnectionResource;
import io.crosslink.connect.rest.RequestTooLargeException;
import io.crosslink.connect.service.InvalidRequestException;
import io.crosslink.connect.service.RequestValidator;
import io.crosslink.events.ConnectionRequest;
import io.crosslink.events.EventCodec;
import io.crosslink.events.Violation;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.AfterFailureMode;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.statistics.Statistics;

/**
 * The intake's validation, in-process, against 10,000 generated hostile bodies ({@link HostileRequests}): each is
 * read as {@code POST /api/v1/connections} reads it ({@link ConnectionResource#parse}), then validated
 * ({@link RequestValidator#validate}) as REST and the Kafka intake do. Whatever the body, the answer is a valid
 * request or a refusal naming fields; nothing else is thrown, and no refusal echoes the input at length.
 */
@AddLifecycleHook(Seeds.Fixed.class)
class IntakeValidationPropertyTest {
    /** A violation's field: a path of known names and indexes, and at most one abbreviated unknown name. */
    static final int MAX_FIELD = 256;
    static final int MAX_REASON = 1024;
    /** PostgreSQL: the varchar(255) columns alias and local_deployment_id; no text column holds NUL. */
    static final int MAX_COLUMN = 255;

    @Property(tries = 10_000, afterFailure = AfterFailureMode.RANDOM_SEED)
    void everyBodyBecomesAValidRequestOrARefusalNamingItsFields(@ForAll("bodies") Body body) {
        covers(body);
        int bytes = body.text().getBytes(StandardCharsets.UTF_8).length;
        JsonNode json;
        try {
            json = ConnectionResource.parse(body.text());
        } catch (RequestTooLargeException e) {
            assertTrue(bytes > RequestValidator.MAX_REQUEST_BYTES, "413 for " + bytes + " bytes");
            Statistics.label("outcome").collect("413 too large");
            return;
        } catch (InvalidRequestException e) {
            assertTrue(bytes <= RequestValidator.MAX_REQUEST_BYTES || body.text().isBlank(),
                    "a body above the limit is refused as too large before it is read");
            bounded(e.violations());
            assertEquals("body", e.violations().get(0).field());
            Statistics.label("outcome").collect("400 unreadable");
            return;
        }
        assertTrue(bytes <= RequestValidator.MAX_REQUEST_BYTES, "read " + bytes + " bytes");
        assertNotNull(json);

        RequestValidator.Result result = RequestValidator.validate(json);

        if (result.valid()) {
            Statistics.label("outcome").collect("valid");
            assertNotNull(result.request());
            roundTrips(result.request());
        } else {
            Statistics.label("outcome").collect("400 invalid fields");
            assertNull(result.request());
            bounded(result.violations());
            fitsTheRejectedConnection(RequestValidator.partial(json), result.violations());
        }
    }

    /** What the generated text edits rely on: the body is one JSON value, nothing after it. */
    @Example
    void aBodyFollowedByMoreThanWhitespaceIsRefused() {
        String valid = HostileRequests.validShaped().sample().toString();
        assertTrue(RequestValidator.validate(ConnectionResource.parse(valid + " \n\t")).valid());
        for (String trailer : List.of(" x", "}", "{}", "\n{\"alias\":\"x\"}", " <script>", ",")) {
            InvalidRequestException refused = assertThrows(InvalidRequestException.class,
                    () -> ConnectionResource.parse(valid + trailer), trailer);
            assertEquals("body", refused.violations().get(0).field());
        }
    }

    /** Every kind of hostile input, and every outcome, is generated often enough to count. */
    private static void covers(Body body) {
        body.kinds().forEach(kind -> Statistics.label("mutation").collect(kind));
        Statistics.label("mutation").coverage(coverage -> {
            for (String kind : List.of("oversized", "unicode", "injection", "wrong type", "deep nesting", "huge array",
                    "duplicate key", "unknown field", "text edit", "escaped non-ASCII")) {
                coverage.check(kind).count(n -> n >= 100);
            }
        });
        Statistics.label("outcome").coverage(coverage -> {
            coverage.check("valid").count(n -> n >= 100);
            coverage.check("413 too large").count(n -> n >= 100);
            coverage.check("400 unreadable").count(n -> n >= 500);
            coverage.check("400 invalid fields").count(n -> n >= 3_000);
        });
    }

    @Provide
    Arbitrary<Body> bodies() {
        return HostileRequests.bodies();
    }

    /** A refusal: fields named, reasons given, neither echoing the input at length; a bounded number of them. */
    static void bounded(List<Violation> violations) {
        assertFalse(violations.isEmpty(), "a refusal names at least one field");
        assertTrue(violations.size() <= RequestValidator.MAX_VIOLATIONS + 1, violations.size() + " violations");
        for (Violation violation : violations) {
            assertNotNull(violation.field());
            assertNotNull(violation.reason());
            assertFalse(violation.field().isBlank(), "blank field in " + violation);
            assertFalse(violation.reason().isBlank(), "blank reason in " + violation);
            assertTrue(violation.field().length() <= MAX_FIELD, "field of " + violation.field().length() + " chars: "
                    + HostileRequests.abbreviate(violation.field(), 200));
            assertTrue(violation.reason().length() <= MAX_REASON, "reason of " + violation.reason().length()
                    + " chars: " + HostileRequests.abbreviate(violation.reason(), 200));
        }
    }

    /** A valid request reads back as itself, and validates again to itself (what is stored is what was accepted). */
    private static void roundTrips(ConnectionRequest request) {
        String encoded = EventCodec.encode(request);
        assertEquals(request, EventCodec.read(encoded, ConnectionRequest.class));
        RequestValidator.Result again = RequestValidator.validate(EventCodec.mapper().valueToTree(request));
        assertEquals(List.of(), again.violations());
        assertEquals(request, again.request());
    }

    /**
     * The Kafka intake stores an invalid request as a REJECTED connection with what could be read of it and the
     * violations: that row and its status document must be storable and publishable whatever the input.
     */
    private static void fitsTheRejectedConnection(ConnectionRequest partial, List<Violation> violations) {
        assertNotNull(partial);
        storable("alias", partial.alias());
        storable("local.deploymentId", partial.local() == null ? null : partial.local().deploymentId());
        int reasons = EventCodec.encode(violations).length();
        assertTrue(reasons <= 128 * 1024, "the reasons of a REJECTED document take " + reasons + " chars");
        assertTrue(EventCodec.encode(partial).length() <= 2 * RequestValidator.MAX_REQUEST_BYTES);
    }

    private static void storable(String field, String value) {
        if (value != null) {
            assertTrue(value.length() <= MAX_COLUMN,
                    field + " of " + value.length() + " chars kept for a varchar(255)");
            noNul(field, value);
        }
    }

    private static void noNul(String field, String value) {
        assertFalse(value.indexOf('\u0000') >= 0, field + " with NUL kept: PostgreSQL text cannot hold it");
    }
}
