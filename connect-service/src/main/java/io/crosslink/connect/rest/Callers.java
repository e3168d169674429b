package io.crosslink.connect.rest;

import io.crosslink.connect.service.AccessDeniedException;
import io.crosslink.connect.service.Caller;
import io.crosslink.events.Violation;
import jakarta.json.JsonArray;
import jakarta.json.JsonString;
import java.util.Collection;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The caller of a request, read from its bearer token once smallrye-jwt has verified it (signature, issuer, audience,
 * expiry): subject ({@code sub}, else the token's principal name), roles ({@code groups}) and team
 * ({@code crosslink_team}: one string, or a list of exactly one as some providers' mappers write it). The same for a
 * REST call and a record of the connection-requests topic.
 */
public final class Callers {
    static final int MAX_TEAM = 255;
    static final int MAX_SUBJECT = 1024;

    private Callers() {
    }

    public static Caller of(JsonWebToken token) {
        String subject = token.getSubject() != null ? token.getSubject() : token.getName();
        if (subject != null && subject.length() > MAX_SUBJECT) {
            throw new AccessDeniedException("The token's subject is longer than " + MAX_SUBJECT + " characters.",
                    new Violation("sub", "must be at most " + MAX_SUBJECT + " characters"));
        }
        Set<String> roles = token.getGroups() == null ? Set.of() : token.getGroups();
        return new Caller(subject, team(token.getClaim(Caller.TEAM_CLAIM)), roles);
    }

    /**
     * The team, or null when the claim is absent. A team never contains {@code :}: it scopes Idempotency-Keys
     * ({@code rest:<team>:<key>}), which must not be readable as another team's.
     */
    private static String team(Object claim) {
        if (claim == null) {
            return null;
        }
        Object value = claim;
        if (claim instanceof JsonArray array && array.size() == 1) {
            value = array.get(0);
        } else if (claim instanceof Collection<?> list && list.size() == 1) {
            value = list.iterator().next();
        }
        if (value instanceof JsonString string) {
            value = string.getString();
        }
        if (value instanceof String team && !team.isBlank() && team.length() <= MAX_TEAM && team.indexOf(':') < 0
                && team.chars().noneMatch(Character::isISOControl)) {
            return team;
        }
        throw new AccessDeniedException("The token's " + Caller.TEAM_CLAIM + " claim does not name one team.",
                new Violation(Caller.TEAM_CLAIM, "must be one team name: 1 to " + MAX_TEAM
                        + " characters, no ':' and no control characters"));
    }
}
