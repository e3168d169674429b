package io.crosslink.connect.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crosslink.connect.messaging.ConnectionRequestsConsumer.MalformedRequestException;
import io.crosslink.connect.service.RequestValidator;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/** Which records are no request at all (dead-lettered) and which are requests to validate. */
class ConnectionRequestsConsumerTest {

    @Test
    void notJsonIsMalformedWithoutQuotingThePayload() {
        MalformedRequestException e = assertThrows(MalformedRequestException.class,
                () -> ConnectionRequestsConsumer.wellFormed("{\"requestId\": secret-value"));
        assertTrue(e.getMessage().contains("not JSON"), e.getMessage());
        assertFalse(e.getMessage().contains("secret-value"), e.getMessage());
    }

    @Test
    void aRecordAboveTheRequestLimitIsMalformedBeforeItIsParsed() {
        String huge = "{\"requestId\":\"r\",\"alias\":\"" + "a".repeat(RequestValidator.MAX_REQUEST_BYTES) + "\"}";
        MalformedRequestException e = assertThrows(MalformedRequestException.class,
                () -> ConnectionRequestsConsumer.wellFormed(huge));
        assertTrue(e.getMessage().contains("larger than 65536 bytes"), e.getMessage());
        assertEquals("r", ConnectionRequestsConsumer.wellFormed("{\"requestId\":\"r\",\"alias\":\"" + "a".repeat(1000)
                + "\"}").path("requestId").asText());
    }

    @Test
    void duplicateKeysTrailingValuesAndControlCharactersInTheRequestIdAreMalformed() {
        assertThrows(MalformedRequestException.class,
                () -> ConnectionRequestsConsumer.wellFormed("{\"requestId\":\"r\",\"requestId\":\"s\"}"));
        assertThrows(MalformedRequestException.class,
                () -> ConnectionRequestsConsumer.wellFormed("{\"requestId\":\"r\"} <script>"));
        MalformedRequestException nul = assertThrows(MalformedRequestException.class,
                () -> ConnectionRequestsConsumer.wellFormed("{\"requestId\":\"r\\u0000s\"}"));
        assertTrue(nul.getMessage().contains("control characters"), nul.getMessage());
    }

    @Test
    void aJsonArrayIsMalformed() {
        assertThrows(MalformedRequestException.class, () -> ConnectionRequestsConsumer.wellFormed("[{\"requestId\":\"r\"}]"));
    }

    @Test
    void anEmptyRecordIsMalformed() {
        assertThrows(MalformedRequestException.class, () -> ConnectionRequestsConsumer.wellFormed(null));
    }

    @Test
    void aRecordWithoutRequestIdIsMalformed() {
        MalformedRequestException e = assertThrows(MalformedRequestException.class,
                () -> ConnectionRequestsConsumer.wellFormed("{\"alias\":\"a\"}"));
        assertTrue(e.getMessage().contains("requestId"));
    }

    @Test
    void aNonTextualRequestIdIsMalformed() {
        assertThrows(MalformedRequestException.class, () -> ConnectionRequestsConsumer.wellFormed("{\"requestId\":42}"));
    }

    @Test
    void theTokenIsTakenOffTheRecordWhicheverWayItsHeaderIsSpelt() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_type", "x".getBytes(StandardCharsets.UTF_8));
        headers.add("authorization", "Bearer first".getBytes(StandardCharsets.UTF_8));
        headers.add("Authorization", "Bearer last".getBytes(StandardCharsets.UTF_8));

        assertEquals(Optional.of("Bearer last"), ConnectionRequestsConsumer.takeAuthorization(headers));
        assertEquals(List.of("ce_type"), Arrays.stream(headers.toArray()).map(Header::key).toList());
        assertEquals(Optional.empty(), ConnectionRequestsConsumer.takeAuthorization(headers));
    }

    @Test
    void anObjectWithRequestIdIsARequestEvenIfItWillNotValidate() {
        assertEquals("r-1", ConnectionRequestsConsumer.wellFormed("{\"requestId\":\"r-1\",\"alias\":7}")
                .get("requestId").asText());
    }
}
