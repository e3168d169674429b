package io.crosslink.connect.rest;

import io.crosslink.connect.service.ConflictException;
import io.crosslink.connect.service.ConnectionNotFoundException;
import io.crosslink.connect.service.InvalidRequestException;
import io.crosslink.events.EventCodec;
import io.crosslink.events.Violation;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error answer as {@code application/problem+json}; never a stack trace. */
public class ProblemMapper {
    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    @ServerExceptionMapper
    public Response invalid(InvalidRequestException e) {
        return answer(Problem.of("invalid-request", "Invalid request", 400, e.getMessage(), e.violations()));
    }

    @ServerExceptionMapper
    public Response tooLarge(RequestTooLargeException e) {
        return answer(Problem.of("request-too-large", "Request too large", 413, e.getMessage(),
                List.of(new Violation("body", "must be at most " + e.limitBytes() + " bytes"))));
    }

    @ServerExceptionMapper
    public Response conflict(ConflictException e) {
        return answer(Problem.of(e.kind(), "Conflict", 409, e.getMessage(), e.violations()));
    }

    @ServerExceptionMapper
    public Response notFound(ConnectionNotFoundException e) {
        return answer(Problem.of("not-found", "Not found", 404, e.getMessage(), List.of()));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        String title = e.getResponse().getStatusInfo().getReasonPhrase();
        return answer(Problem.of("http-" + status, title, status, title, List.of()));
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        LOG.error("unexpected failure", e);
        return answer(Problem.of("internal-error", "Internal error", 500, "An unexpected error occurred.", List.of()));
    }

    static Response answer(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(EventCodec.encode(problem)).build();
    }
}
