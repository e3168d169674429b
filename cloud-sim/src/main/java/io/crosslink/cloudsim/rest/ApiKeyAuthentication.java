package io.crosslink.cloudsim.rest;

import io.crosslink.cloudsim.config.SimConfig;
import io.crosslink.cloudsim.service.CloudDocuments;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/** {@code Authorization: ApiKey <key>} on every Cloud API call; the key decides the caller's environment. */
public class ApiKeyAuthentication {
    private static final String PREFIX = "ApiKey ";

    private final SimConfig config;
    private final CallerEnvironment caller;
    private final CloudDocuments documents;

    public ApiKeyAuthentication(SimConfig config, CallerEnvironment caller, CloudDocuments documents) {
        this.config = config;
        this.caller = caller;
        this.documents = documents;
    }

    @ServerRequestFilter
    public Optional<Response> authenticate(ContainerRequestContext request) {
        if (!request.getUriInfo().getPath().startsWith("/api/v1/")) {
            return Optional.empty();
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header != null && header.startsWith(PREFIX)) {
            byte[] presented = header.substring(PREFIX.length()).trim().getBytes(StandardCharsets.UTF_8);
            for (Map.Entry<String, SimConfig.EnvironmentConfig> environment : config.environments().entrySet()) {
                byte[] expected = environment.getValue().apiKey().getBytes(StandardCharsets.UTF_8);
                if (MessageDigest.isEqual(presented, expected)) {
                    caller.name(environment.getKey());
                    return Optional.empty();
                }
            }
        }
        return Optional.of(Response.status(401)
                .type(MediaType.APPLICATION_JSON)
                .header("x-cloud-error-codes", "root.unauthenticated")
                .entity(documents.error("root.unauthenticated",
                        "The supplied authentication is invalid: send 'Authorization: ApiKey <key>'.", List.of()))
                .build());
    }
}
