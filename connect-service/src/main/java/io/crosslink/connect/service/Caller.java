package io.crosslink.connect.service;

import io.crosslink.events.Violation;
import java.util.List;
import java.util.Set;

/**
 * Who calls, as its verified bearer token says: the subject, the one team it acts for ({@code crosslink_team}) and
 * its roles ({@code groups}). A team sees and changes only its own connections; an admin those of every team, and
 * the ones that belong to none (an admin's of no team, topic records refused for their token, connections made
 * before teams). A request on the connection-requests topic has its caller too: its bearer token's.
 */
public record Caller(String subject, String team, Set<String> roles) {
    public static final String REQUEST = "connections:request";
    public static final String READ = "connections:read";
    public static final String ADMIN = "connections:admin";
    /** GET one and the list: a requester reads what its team requested, so {@code request} reads too. */
    public static final List<String> READERS = List.of(READ, REQUEST, ADMIN);
    /** POST and DELETE. */
    public static final List<String> REQUESTERS = List.of(REQUEST, ADMIN);
    /** The claim naming the caller's team. */
    public static final String TEAM_CLAIM = "crosslink_team";
    /** The claim holding the roles (MicroProfile JWT). */
    public static final String ROLES_CLAIM = "groups";

    public Caller {
        roles = Set.copyOf(roles);
    }

    public boolean admin() {
        return roles.contains(ADMIN);
    }

    /**
     * 403 unless the caller holds one of {@code anyOf}, and, not being an admin, names its team: without one it
     * could own nothing.
     */
    public void require(List<String> anyOf) {
        if (anyOf.stream().noneMatch(roles::contains)) {
            String needed = String.join(" or ", anyOf);
            throw new AccessDeniedException("This call needs the role " + needed + " in the token's " + ROLES_CLAIM
                    + " claim.", new Violation(ROLES_CLAIM, "needs " + needed));
        }
        if (!admin() && team == null) {
            throw new AccessDeniedException("The token names no team: its " + TEAM_CLAIM + " claim is missing.",
                    new Violation(TEAM_CLAIM, "is required (one team per token)"));
        }
    }

    /**
     * An admin whose token names no team: requests without the access policy (the break-glass caller, README
     * "Policy"). An admin naming a team requests as that team, under its policy.
     */
    public boolean breakGlass() {
        return admin() && team == null;
    }

    /** Whether the caller may see and act on a connection owned by {@code owner} (null: no team). */
    public boolean sees(String owner) {
        return admin() || team != null && team.equals(owner);
    }
}
