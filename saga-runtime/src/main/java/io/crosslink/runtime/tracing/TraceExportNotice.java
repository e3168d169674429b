package io.crosslink.runtime.tracing;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * Says once at startup where spans go: to {@code quarkus.otel.exporter.otlp.traces.endpoint}, or nowhere when it is
 * blank (the services' default). Warns when only the generic {@code quarkus.otel.exporter.otlp.endpoint} is set, which
 * the blank traces endpoint overrides, so a collector that receives nothing is explained in the log.
 */
@ApplicationScoped
public class TraceExportNotice {
    private static final Logger LOG = Logger.getLogger(TraceExportNotice.class);
    static final String TRACES_ENDPOINT = "quarkus.otel.exporter.otlp.traces.endpoint";
    static final String GENERIC_ENDPOINT = "quarkus.otel.exporter.otlp.endpoint";

    void started(@Observes StartupEvent event) {
        var config = ConfigProvider.getConfig();
        String traces = config.getOptionalValue(TRACES_ENDPOINT, String.class).map(String::trim).orElse("");
        Optional<String> generic = config.getOptionalValue(GENERIC_ENDPOINT, String.class).map(String::trim)
                .filter(value -> !value.isEmpty());
        String message = message(traces, generic);
        if (traces.isEmpty() && generic.isPresent()) {
            LOG.warn(message);
        } else {
            LOG.info(message);
        }
    }

    static String message(String tracesEndpoint, Optional<String> genericEndpoint) {
        if (!tracesEndpoint.isEmpty()) {
            return "traces: exported to " + printable(tracesEndpoint) + " (OTLP)";
        }
        if (genericEndpoint.isPresent()) {
            return "traces: NOT exported: quarkus.otel.exporter.otlp.endpoint is set, but traces go to "
                    + TRACES_ENDPOINT + " (QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT), which is blank";
        }
        return "traces: not exported (set QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT to send them to a collector);"
                + " trace ids are still logged and propagated";
    }

    /** Scheme, host and port only: whatever else an endpoint holds (user info, a query) is not printed. */
    static String printable(String endpoint) {
        try {
            URI uri = new URI(endpoint);
            return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        } catch (URISyntaxException e) {
            return "an endpoint that is not a URL";
        }
    }
}
