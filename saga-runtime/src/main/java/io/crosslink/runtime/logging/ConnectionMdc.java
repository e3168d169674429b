package io.crosslink.runtime.logging;

import org.jboss.logging.MDC;

/**
 * Puts the connection a thread works for into the logging MDC under {@value #KEY}, so every line logged meanwhile
 * names it (text format {@code %X{connectionId}}, a field of its own in JSON logs). Set around each consumed record
 * and each work item run, and taken off (the value before restored) when the scope closes: worker and consumer
 * threads are pooled, so a connection left behind would be logged against the next one's lines.
 * <p>
 * Only the connection id goes in: it names the saga, never a secret.
 */
public final class ConnectionMdc implements AutoCloseable {
    public static final String KEY = "connectionId";

    private final Object previous;

    private ConnectionMdc(Object previous) {
        this.previous = previous;
    }

    /** Names {@code connectionId} until {@link #close()}; a null or blank id leaves the MDC as it is. */
    public static ConnectionMdc of(String connectionId) {
        Object previous = MDC.get(KEY);
        if (connectionId != null && !connectionId.isBlank()) {
            MDC.put(KEY, connectionId);
        }
        return new ConnectionMdc(previous);
    }

    @Override
    public void close() {
        if (previous == null) {
            MDC.remove(KEY);
        } else {
            MDC.put(KEY, previous);
        }
    }
}
