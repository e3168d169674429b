package io.crosslink.cloudsim.rest;

import io.crosslink.cloudsim.domain.CloudApiException;
import io.crosslink.cloudsim.service.CloudDocuments;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Answers every failure in the Cloud API's {@code BasicFailedReply} shape; never a stack trace. */
public class CloudErrorMapper {
    private static final Logger LOG = Logger.getLogger(CloudErrorMapper.class);

    private final CloudDocuments documents;

    public CloudErrorMapper(CloudDocuments documents) {
        this.documents = documents;
    }

    @ServerExceptionMapper
    public Response cloudError(CloudApiException e) {
        return reply(e.status(), e.code(), e.getMessage(), e.fields());
    }

    @ServerExceptionMapper
    public Response webError(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        String code = status == 404 ? "root.resource_not_found"
                : status == 405 ? "root.method_not_allowed"
                : status < 500 ? "root.invalid_json_request" : "root.unexpected_error";
        return reply(status, code, status == 400 ? "The request body is not valid JSON." : e.getMessage(), List.of());
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        LOG.error("unexpected failure", e);
        return reply(500, "root.unexpected_error", "An unexpected error occurred.", List.of());
    }

    private Response reply(int status, String code, String message, List<String> fields) {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON)
                .header("x-cloud-error-codes", code)
                .entity(documents.error(code, message, fields))
                .build();
    }
}
