package io.crosslink.runtime.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.jboss.logging.MDC;
import org.junit.jupiter.api.Test;

/** A scope names its connection, and closing it gives the thread back as it was: pooled threads carry nothing over. */
class ConnectionMdcTest {

    @Test
    void aScopeNamesItsConnectionAndRestoresTheOneBefore() {
        MDC.remove(ConnectionMdc.KEY);
        try (ConnectionMdc outer = ConnectionMdc.of("outer")) {
            assertEquals("outer", MDC.get(ConnectionMdc.KEY));
            try (ConnectionMdc inner = ConnectionMdc.of("inner")) {
                assertEquals("inner", MDC.get(ConnectionMdc.KEY));
            }
            assertEquals("outer", MDC.get(ConnectionMdc.KEY));
        }
        assertNull(MDC.get(ConnectionMdc.KEY));
    }

    @Test
    void noIdLeavesTheMdcAsItIs() {
        MDC.remove(ConnectionMdc.KEY);
        try (ConnectionMdc scope = ConnectionMdc.of(" ")) {
            assertNull(MDC.get(ConnectionMdc.KEY));
        }
        assertNull(MDC.get(ConnectionMdc.KEY));
    }
}
