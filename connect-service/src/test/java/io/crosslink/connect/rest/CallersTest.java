package io.crosslink.connect.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crosslink.connect.service.AccessDeniedException;
import io.crosslink.connect.service.Caller;
import jakarta.json.Json;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;

/** The caller as read from a verified token's claims, and what its roles and team allow. */
class CallersTest {

    @Test
    void subjectRolesAndTeamComeFromTheirClaims() {
        Caller caller = Callers.of(token(Map.of("sub", "alice", "groups", Set.of(Caller.REQUEST, "unrelated"),
                Caller.TEAM_CLAIM, "team-a")));

        assertEquals(new Caller("alice", "team-a", Set.of(Caller.REQUEST, "unrelated")), caller);
        assertFalse(caller.admin());
        assertTrue(caller.sees("team-a"));
        assertFalse(caller.sees("team-b"));
        assertFalse(caller.sees(null), "a connection of no team is an admin's");
    }

    @Test
    void aTeamInAListOfOneIsThatTeam() {
        assertEquals("team-a", Callers.of(token(Map.of("sub", "a", Caller.TEAM_CLAIM, List.of("team-a")))).team());
        assertEquals("team-a", Callers.of(token(Map.of("sub", "a",
                Caller.TEAM_CLAIM, Json.createArrayBuilder().add("team-a").build()))).team());
        assertEquals("team-a", Callers.of(token(Map.of("sub", "a", Caller.TEAM_CLAIM,
                Json.createValue("team-a")))).team());
    }

    @Test
    void aTeamClaimThatNamesNoSingleUsableTeamIsRefused() {
        for (Object claim : List.<Object>of(List.of("a", "b"), List.of(), "", " ", "a:b", "x".repeat(256), 42,
                "tab\tteam")) {
            AccessDeniedException denied = assertThrows(AccessDeniedException.class,
                    () -> Callers.of(token(Map.of("sub", "a", Caller.TEAM_CLAIM, claim))), String.valueOf(claim));
            assertEquals(Caller.TEAM_CLAIM, denied.violations().get(0).field());
        }
    }

    @Test
    void readersRequestersAndAdmins() {
        Caller reader = new Caller("r", "t", Set.of(Caller.READ));
        Caller requester = new Caller("q", "t", Set.of(Caller.REQUEST));
        Caller admin = new Caller("a", null, Set.of(Caller.ADMIN));
        Caller teamless = new Caller("n", null, Set.of(Caller.READ, Caller.REQUEST));

        reader.require(Caller.READERS);
        requester.require(Caller.READERS);
        requester.require(Caller.REQUESTERS);
        admin.require(Caller.READERS);
        admin.require(Caller.REQUESTERS);
        AccessDeniedException denied = assertThrows(AccessDeniedException.class, () -> reader.require(Caller.REQUESTERS));
        assertEquals("groups", denied.violations().get(0).field());
        assertEquals("needs connections:request or connections:admin", denied.violations().get(0).reason());
        denied = assertThrows(AccessDeniedException.class, () -> teamless.require(Caller.READERS));
        assertEquals(Caller.TEAM_CLAIM, denied.violations().get(0).field());
        assertTrue(admin.sees("t") && admin.sees(null));
    }

    @Test
    void withoutSubTheTokensPrincipalNameIsTheSubject() {
        Caller caller = Callers.of(token(Map.of("upn", "alice@example.com", Caller.TEAM_CLAIM, "t")));
        assertEquals("alice@example.com", caller.subject());
        assertNull(Callers.of(token(Map.of("sub", "x"))).team());
    }

    /** A verified token with these claims (the principal name as MicroProfile JWT picks it). */
    private static JsonWebToken token(Map<String, Object> claims) {
        Map<String, Object> all = new HashMap<>(claims);
        return new JsonWebToken() {
            @Override
            public String getName() {
                Object name = all.getOrDefault("upn", all.get("sub"));
                return name == null ? null : name.toString();
            }

            @Override
            public Set<String> getClaimNames() {
                return all.keySet();
            }

            @Override
            @SuppressWarnings("unchecked")
            public <T> T getClaim(String claimName) {
                return (T) all.get(claimName);
            }
        };
    }
}
