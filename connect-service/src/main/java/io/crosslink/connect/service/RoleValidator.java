package io.crosslink.connect.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.crosslink.events.Access;
import io.crosslink.events.RoleRequest;
import io.crosslink.events.Violation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The optional {@code roles} of a request: local roles on L whose {@code remote_indices} (scoped to the alias) are
 * never wider than the connection's access. Every index name or pattern of a role must lie within a pattern of
 * {@code access.search} or {@code access.replication}, and every privilege must be one that access grants on all
 * the entry's names: {@code read}, {@code read_cross_cluster}, {@code view_index_metadata} for search;
 * {@code cross_cluster_replication}, {@code cross_cluster_replication_internal} for replication (the index
 * privileges Elasticsearch gives the cross-cluster key).
 */
final class RoleValidator {
    /** Role names Elasticsearch accepts, restricted to what is safe in a URL path; a leading '_' is reserved. */
    static final Pattern ROLE_NAME = Pattern.compile("^[A-Za-z0-9@.:+-][A-Za-z0-9@.:+_-]{0,506}$");
    static final Set<String> SEARCH_PRIVILEGES = Set.of("read", "read_cross_cluster", "view_index_metadata");
    static final Set<String> REPLICATION_PRIVILEGES = Set.of("cross_cluster_replication", "cross_cluster_replication_internal");
    private static final Set<String> ROLE_FIELDS = Set.of("name", "indices");
    private static final Set<String> INDICES_FIELDS = Set.of("names", "privileges");
    /** Access patterns named in a reason. */
    private static final int LISTED = 5;

    private RoleValidator() {
    }

    /** The roles (empty when none), or null after adding violations; {@code access} null when it was invalid. */
    static List<RoleRequest> validate(JsonNode node, Access access, List<Violation> violations) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            violations.add(new Violation("roles", "must be a list"));
            return null;
        }
        int before = violations.size();
        List<RoleRequest> roles = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            RoleRequest role = role(node.get(i), "roles[" + i + "]", access, violations);
            if (role != null && !seen.add(role.name())) {
                violations.add(new Violation("roles[" + i + "].name", "names a role that is already in the list"));
            }
            roles.add(role);
        }
        // A role is also null, without a violation of its own, when access was invalid (nothing to judge it by).
        return violations.size() > before || roles.contains(null) ? null : List.copyOf(roles);
    }

    private static RoleRequest role(JsonNode node, String field, Access access, List<Violation> violations) {
        if (!node.isObject()) {
            violations.add(new Violation(field, "must be an object with name and indices"));
            return null;
        }
        node.fieldNames().forEachRemaining(name -> {
            if (!ROLE_FIELDS.contains(name)) {
                violations.add(new Violation(field + "." + RequestValidator.fieldName(name), RequestValidator.UNKNOWN));
            }
        });
        String name = null;
        JsonNode nameNode = node.get("name");
        if (nameNode == null || nameNode.isNull()) {
            violations.add(new Violation(field + ".name", RequestValidator.REQUIRED));
        } else if (!nameNode.isTextual()) {
            violations.add(new Violation(field + ".name", "must be a string"));
        } else if (nameNode.asText().startsWith("_")) {
            violations.add(new Violation(field + ".name", "role names starting with '_' are reserved"));
        } else if (!ROLE_NAME.matcher(nameNode.asText()).matches()) {
            violations.add(new Violation(field + ".name",
                    "must be 1-507 characters: letters, digits and @ . : + _ - (not starting with _)"));
        } else {
            name = nameNode.asText();
        }
        JsonNode indices = node.get("indices");
        List<RoleRequest.Indices> entries = new ArrayList<>();
        if (indices == null || indices.isNull()) {
            violations.add(new Violation(field + ".indices", RequestValidator.REQUIRED));
        } else if (!indices.isArray() || indices.isEmpty()) {
            violations.add(new Violation(field + ".indices", "must be a non-empty list of {names, privileges}"));
        } else {
            for (int i = 0; i < indices.size(); i++) {
                entries.add(indices(indices.get(i), field + ".indices[" + i + "]", access, violations));
            }
        }
        return name == null || entries.contains(null) || entries.isEmpty() ? null : new RoleRequest(name, entries);
    }

    private static RoleRequest.Indices indices(JsonNode node, String field, Access access, List<Violation> violations) {
        if (!node.isObject()) {
            violations.add(new Violation(field, "must be an object with names and privileges"));
            return null;
        }
        node.fieldNames().forEachRemaining(name -> {
            if (!INDICES_FIELDS.contains(name)) {
                violations.add(new Violation(field + "." + RequestValidator.fieldName(name), RequestValidator.UNKNOWN));
            }
        });
        List<String> names = strings(node, "names", field, "index names or patterns", violations);
        List<String> privileges = strings(node, "privileges", field, "index privileges", violations);
        if (names == null || privileges == null || access == null) {
            return null;
        }
        boolean allSearch = true;
        boolean allReplication = true;
        int before = violations.size();
        String notWithin = null;
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            boolean search = coveredBy(access.search().stream().map(Access.Search::names).toList(), name);
            boolean replication = coveredBy(access.replication().stream().map(Access.Replication::names).toList(), name);
            allSearch &= search;
            allReplication &= replication;
            if (!search && !replication) {
                if (notWithin == null) {
                    notWithin = "is not within the connection's access (search "
                            + patterns(access.search().stream().map(Access.Search::names).toList()) + ", replication "
                            + patterns(access.replication().stream().map(Access.Replication::names).toList())
                            + "): a role may not grant more than the connection's API key";
                }
                violations.add(new Violation(field + ".names[" + i + "]", notWithin));
            }
        }
        if (violations.size() > before) {
            return null;
        }
        List<String> grantable = new ArrayList<>();
        if (allSearch) {
            grantable.addAll(sorted(SEARCH_PRIVILEGES));
        }
        if (allReplication) {
            grantable.addAll(sorted(REPLICATION_PRIVILEGES));
        }
        for (int i = 0; i < privileges.size(); i++) {
            if (!grantable.contains(privileges.get(i))) {
                violations.add(new Violation(field + ".privileges[" + i + "]", "is not within the connection's access: "
                        + (grantable.isEmpty() ? "no privilege is granted on all of these names (search and replication "
                                + "names need separate entries)" : "on these names it grants only " + grantable)));
            }
        }
        return violations.size() > before ? null : new RoleRequest.Indices(names, privileges);
    }

    private static List<String> strings(JsonNode node, String name, String field, String what, List<Violation> violations) {
        JsonNode value = node.get(name);
        String path = field + "." + name;
        if (value == null || value.isNull()) {
            violations.add(new Violation(path, RequestValidator.REQUIRED));
            return null;
        }
        if (!value.isArray() || value.isEmpty()) {
            violations.add(new Violation(path, "must be a non-empty list of " + what));
            return null;
        }
        List<String> strings = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            if (!value.get(i).isTextual() || value.get(i).asText().isBlank()) {
                violations.add(new Violation(path + "[" + i + "]", "must be a non-empty string"));
                return null;
            }
            strings.add(value.get(i).asText());
        }
        return strings;
    }

    /** Whether one of the access patterns covers every index {@code name} may stand for. */
    static boolean coveredBy(List<List<String>> accessNames, String name) {
        if (name.startsWith("/") || name.startsWith("-")) {
            // A regular expression or an exclusion: only the very same expression is known to be no wider.
            return accessNames.stream().flatMap(List::stream).anyMatch(name::equals);
        }
        return accessNames.stream().flatMap(List::stream).anyMatch(pattern -> covers(pattern, name));
    }

    /**
     * Whether the access pattern (Elasticsearch's simple wildcards: {@code *} only) covers the role's name or
     * pattern: the access pattern matches the role pattern read literally, a {@code *} of the access pattern
     * absorbing any run of characters including the role's own {@code *}s. Then every index the role pattern
     * matches is matched too (each of its {@code *}s lies inside a span an access {@code *} absorbs).
     */
    static boolean covers(String accessPattern, String name) {
        if (accessPattern.startsWith("/") || accessPattern.startsWith("-")) {
            return accessPattern.equals(name);
        }
        int p = 0;
        int n = 0;
        int star = -1;
        int mark = 0;
        while (n < name.length()) {
            if (p < accessPattern.length() && accessPattern.charAt(p) == '*') {
                star = p++;
                mark = n;
            } else if (p < accessPattern.length() && accessPattern.charAt(p) == name.charAt(n)) {
                p++;
                n++;
            } else if (star >= 0) {
                p = star + 1;
                n = ++mark;
            } else {
                return false;
            }
        }
        while (p < accessPattern.length() && accessPattern.charAt(p) == '*') {
            p++;
        }
        return p == accessPattern.length();
    }

    /** The access patterns for a reason: the first {@value #LISTED} (each cut at 64 characters), then how many more. */
    private static String patterns(List<List<String>> names) {
        List<String> all = names.stream().flatMap(List::stream).toList();
        return all.stream().limit(LISTED).map(p -> p.length() > 64 ? p.substring(0, 64) + "..." : p)
                .collect(Collectors.joining(", ", "[",
                        all.size() > LISTED ? ", and " + (all.size() - LISTED) + " more]" : "]"));
    }

    private static List<String> sorted(Set<String> privileges) {
        return privileges.stream().sorted().toList();
    }
}
