package io.crosslink.connect.messaging;

import io.crosslink.connect.rest.Callers;
import io.crosslink.connect.service.AccessDeniedException;
import io.crosslink.connect.service.Caller;
import io.crosslink.events.Violation;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.microprofile.jwt.Claims;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;

/**
 * The requester of a connection-requests record: the bearer token of its {@code authorization} header
 * ({@code Bearer <JWT>}), verified as REST verifies one (smallrye-jwt with the same {@code mp.jwt.verify.*} settings:
 * signature, issuer, audience) but judged at the record's time: a record produced while its token was valid is
 * accepted however late it is consumed. Then the roles and the team, as for {@code POST}. Every refusal is an
 * {@link AccessDeniedException} naming the header or claim and why; it never quotes the token.
 */
@ApplicationScoped
public class RecordCallers {
    /** The record header that carries the token. */
    public static final String HEADER = "authorization";
    private static final String BEARER = "bearer ";

    private final JWTParser parser;
    private final JWTAuthContextInfo configured;
    private volatile JWTAuthContextInfo atRecordTime;

    public RecordCallers(JWTParser parser, JWTAuthContextInfo configured) {
        this.parser = parser;
        this.configured = configured;
    }

    /** The caller {@code authorization} names at {@code recordTime}, holding connections:request or admin. */
    public Caller verify(Optional<String> authorization, Instant recordTime) {
        String header = authorization.orElseThrow(() -> refused("The record has no authorization header.",
                "is required: Bearer <JWT> of a caller with " + String.join(" or ", Caller.REQUESTERS)));
        if (header.length() <= BEARER.length() || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                || header.substring(BEARER.length()).isBlank()) {
            throw refused("The authorization header is no bearer token.", "must be Bearer <JWT>");
        }
        JsonWebToken token;
        try {
            token = parser.parse(header.substring(BEARER.length()).trim(), atRecordTime());
        } catch (ParseException e) {
            throw refused("The bearer token was refused.", why(e));
        }
        long skew = skewSeconds();
        long at = recordTime.getEpochSecond();
        if (at - skew >= token.getExpirationTime()) {
            throw refused("The bearer token had expired when the record was produced.", "the bearer token had "
                    + "expired at the record's time (exp " + Instant.ofEpochSecond(token.getExpirationTime())
                    + ", record " + recordTime + ")");
        }
        Long notBefore = number(token.getClaim(Claims.nbf.name()));
        if (notBefore != null && at + skew < notBefore) {
            throw refused("The bearer token was not yet valid when the record was produced.", "the bearer token was "
                    + "not yet valid at the record's time (nbf " + Instant.ofEpochSecond(notBefore) + ", record "
                    + recordTime + ")");
        }
        Caller caller = Callers.of(token);
        caller.require(Caller.REQUESTERS);
        return caller;
    }

    /**
     * The configured verification with its clock check opened wide: expiry and not-before are judged here, at the
     * record's time, with the configured clock skew. Everything else (key, algorithm, issuer, audience, required
     * claims) is the configuration's.
     */
    private JWTAuthContextInfo atRecordTime() {
        JWTAuthContextInfo info = atRecordTime;
        if (info == null) {
            info = new JWTAuthContextInfo(configured);
            info.setExpGracePeriodSecs(0);
            info.setClockSkew(Integer.MAX_VALUE);
            atRecordTime = info;
        }
        return info;
    }

    /** smallrye-jwt's own leeway: the expiry grace period when set, else the clock skew. */
    private long skewSeconds() {
        return configured.getExpGracePeriodSecs() > 0 ? configured.getExpGracePeriodSecs()
                : Math.max(0, configured.getClockSkew());
    }

    /** Which check failed, from jose4j's error codes; never the token or the parser's message (it may quote claims). */
    private static String why(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof InvalidJwtException invalid) {
                if (invalid.hasErrorCode(ErrorCodes.ISSUER_INVALID) || invalid.hasErrorCode(ErrorCodes.ISSUER_MISSING)) {
                    return "the bearer token is not of the configured issuer";
                }
                if (invalid.hasErrorCode(ErrorCodes.AUDIENCE_INVALID) || invalid.hasErrorCode(ErrorCodes.AUDIENCE_MISSING)) {
                    return "the bearer token is not for this service's audience";
                }
                if (invalid.hasErrorCode(ErrorCodes.SIGNATURE_INVALID) || invalid.hasErrorCode(ErrorCodes.SIGNATURE_MISSING)) {
                    return "the bearer token is not signed by the configured issuer's key";
                }
                if (invalid.hasErrorCode(ErrorCodes.EXPIRATION_MISSING)) {
                    return "the bearer token has no expiry (exp)";
                }
            }
        }
        return "the bearer token is not valid: malformed, or not issued and signed by the configured issuer for this "
                + "service's audience";
    }

    private static Long number(Object claim) {
        if (claim instanceof Number number) {
            return number.longValue();
        }
        if (claim instanceof jakarta.json.JsonNumber number) {
            return number.longValue();
        }
        return null;
    }

    private static AccessDeniedException refused(String detail, String reason) {
        return new AccessDeniedException(detail, new Violation(HEADER, reason));
    }
}
