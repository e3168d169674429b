package io.crosslink.connect.rest;

import io.crosslink.connect.service.AccessDeniedException;
import io.crosslink.connect.service.ConflictException;
import io.crosslink.connect.service.ConnectionNotFoundException;
import io.crosslink.connect.service.InvalidRequestException;
import io.crosslink.events.EventCodec;
import io.crosslink.events.Violation;
import io.quarkus.security.AuthenticationCompletionException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jose4j.jwt.consumer.InvalidJwtException;

/**
 * Every error answer as {@code application/problem+json}; never a stack trace. Authentication failures reach these
 * mappers because authentication is not proactive ({@code quarkus.http.auth.proactive=false}): the HTTP layer would
 * answer them with an empty body.
 */
public class ProblemMapper {
    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);
    private static final String BEARER = "Bearer";

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

    /** No bearer token (none, or another scheme): 401 with the challenge of RFC 6750. */
    @ServerExceptionMapper
    public Response anonymous(UnauthorizedException e) {
        return unauthenticated(BEARER, "This call needs a bearer token (Authorization: Bearer <JWT>).",
                "a bearer token is required");
    }

    /**
     * A bearer token that failed verification: malformed, expired, or of another issuer, audience or key. Only expiry
     * is told apart (the caller can fix it by itself); the rest is logged at debug by smallrye-jwt.
     */
    @ServerExceptionMapper
    public Response invalidToken(AuthenticationFailedException e) {
        if (expired(e)) {
            return unauthenticated(BEARER + " error=\"invalid_token\", error_description=\"The token expired\"",
                    "The bearer token has expired.", "the bearer token has expired");
        }
        return unauthenticated(BEARER + " error=\"invalid_token\"", "The bearer token was refused: it is malformed,"
                + " expired, or not issued and signed by the configured issuer for this service's audience.",
                "the bearer token is not valid");
    }

    @ServerExceptionMapper
    public Response incomplete(AuthenticationCompletionException e) {
        return invalidToken(new AuthenticationFailedException(e));
    }

    /** A role or the team missing from the token, named. */
    @ServerExceptionMapper
    public Response denied(AccessDeniedException e) {
        return answer(Problem.of("forbidden", "Forbidden", 403, e.getMessage(), e.violations()));
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return answer(Problem.of("forbidden", "Forbidden", 403, "This call is not allowed.", List.of()));
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

    private static Response unauthenticated(String challenge, String detail, String reason) {
        Problem problem = Problem.of("unauthorized", "Unauthorized", 401, detail,
                List.of(new Violation(HttpHeaders.AUTHORIZATION, reason)));
        return Response.status(401).type(Problem.MEDIA_TYPE).header(HttpHeaders.WWW_AUTHENTICATE, challenge)
                .entity(EventCodec.encode(problem)).build();
    }

    private static boolean expired(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof InvalidJwtException invalid && invalid.hasExpired()) {
                return true;
            }
        }
        return false;
    }

    static Response answer(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(EventCodec.encode(problem)).build();
    }
}
