package io.crosslink.connect.policy;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.crosslink.events.Access;
import io.crosslink.events.ConnectionRequest;
import io.crosslink.events.DeploymentRef;
import io.crosslink.events.SecurityModel;
import io.crosslink.events.Violation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who may connect what: the checked content of the policy file ({@link PolicyDocument}) and its judgement of a valid
 * request. Every refusal is a {@link Violation} naming the request's field and, in its reason, the policy rule
 * (its path in the file, e.g. {@code teams.team-a.remotes[0].indices}). A team the policy does not name may do nothing.
 *
 * <p>Index patterns ({@code access.search[].names}, {@code access.replication[].names}) are judged against the remote's
 * {@code indices}: a requested pattern is allowed when an allowed pattern covers it ({@code *} in an allowed pattern
 * stands for any text, a requested {@code *} only for an allowed one: {@code logs-*} covers {@code logs-app-*} but not
 * {@code logs*}). Some things are never covered by accident: a bare {@code *} only if {@code *} itself is listed, a
 * pattern starting with {@code .} only by an allowed pattern starting with {@code .}, an exclusion ({@code -name}) only
 * with {@code allow_exclusions: true}, {@code allow_restricted_indices: true} only with the remote's
 * {@code allow_restricted_indices: true}, and replication only with {@code replication: true}.
 */
public final class AccessPolicy {
    /** The claim naming the caller's team: the field a team-wide refusal names. */
    public static final String TEAM_FIELD = "crosslink_team";
    /** A policy is a few kilobytes; this bounds what a mistaken path makes the service read. */
    static final int MAX_FILE_BYTES = 1024 * 1024;
    private static final String PREFIX = "policy: ";
    private static final ObjectReader READER = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build().readerFor(PolicyDocument.class);

    private final Map<String, PolicyDocument.Team> teams;

    private AccessPolicy(Map<String, PolicyDocument.Team> teams) {
        this.teams = Collections.unmodifiableMap(new LinkedHashMap<>(teams));
    }

    /** The policy in {@code file}, or {@link PolicyException} saying what is wrong with it (and where). */
    public static AccessPolicy read(Path file) throws PolicyException {
        try {
            return of(content(file));
        } catch (IOException e) {
            throw new PolicyException("cannot be read (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
    }

    /** The bytes of {@code file}, refused above {@value #MAX_FILE_BYTES} bytes before they are read. */
    static byte[] content(Path file) throws IOException, PolicyException {
        if (Files.size(file) > MAX_FILE_BYTES) {
            throw new PolicyException("larger than " + MAX_FILE_BYTES + " bytes");
        }
        return Files.readAllBytes(file);
    }

    /** The policy in a file's {@code content} (UTF-8). */
    static AccessPolicy of(byte[] content) throws PolicyException {
        return parse(new String(content, StandardCharsets.UTF_8));
    }

    /** The policy written in {@code yaml}, or {@link PolicyException} saying what is wrong with it (and where). */
    public static AccessPolicy parse(String yaml) throws PolicyException {
        if (yaml.isBlank()) {
            throw new PolicyException("is empty: it needs a teams map");
        }
        PolicyDocument document;
        try {
            document = READER.readValue(yaml);
        } catch (UnrecognizedPropertyException e) {
            throw new PolicyException("unknown key \"" + e.getPropertyName() + "\" in " + path(e, 1) + where(e.getLocation())
                    + "; known keys: " + e.getKnownPropertyIds());
        } catch (JsonMappingException e) {
            throw new PolicyException("invalid value at " + path(e, 0) + where(e.getLocation()) + ": " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw new PolicyException("not valid YAML" + where(e.getLocation()) + ": " + e.getOriginalMessage());
        }
        if (document == null) {
            throw new PolicyException("is empty: it needs a teams map");
        }
        return new AccessPolicy(checked(document));
    }

    /** The teams the policy names. */
    public Set<String> teams() {
        return teams.keySet();
    }

    /**
     * Why {@code team} may not make {@code request} (a request that passed validation), rule by rule; empty when it
     * may. The live-connection limit is judged apart ({@link #liveLimit}): it needs the database.
     */
    public List<Violation> check(String team, ConnectionRequest request) {
        PolicyDocument.Team rules = teams.get(team);
        if (rules == null) {
            return List.of(new Violation(TEAM_FIELD, PREFIX + "team " + team + " is not in the policy, so it may "
                    + "request nothing (teams)"));
        }
        String rule = "teams." + team;
        List<Violation> violations = new ArrayList<>();
        if (!rules.securityModels().contains(request.securityModel())) {
            violations.add(new Violation("securityModel", PREFIX + team + " may not use the " + modelName(
                    request.securityModel()) + " security model (" + rule + ".security_models)"));
        }
        if (rules.locals().stream().noneMatch(deployments -> matches(deployments.environment(),
                deployments.deployments(), request.local()))) {
            violations.add(new Violation("local", PREFIX + team + " may not use deployment " + name(request.local())
                    + " as local (" + rule + ".locals)"));
        }
        int remoteIndex = -1;
        for (int i = 0; i < rules.remotes().size() && remoteIndex < 0; i++) {
            PolicyDocument.Remote remote = rules.remotes().get(i);
            if (matches(remote.environment(), remote.deployments(), request.remote())) {
                remoteIndex = i;
            }
        }
        if (remoteIndex < 0) {
            violations.add(new Violation("remote", PREFIX + team + " may not use deployment " + name(request.remote())
                    + " as remote (" + rule + ".remotes)"));
        } else if (request.access() != null) {
            access(team, rule + ".remotes[" + remoteIndex + "]", rules.remotes().get(remoteIndex), request.access(),
                    violations);
        }
        return violations;
    }

    /** The most live connections {@code team} may have, empty for a team the policy does not name. */
    public Optional<Integer> maxLiveConnections(String team) {
        return Optional.ofNullable(teams.get(team)).map(PolicyDocument.Team::maxLiveConnections);
    }

    /** The refusal of one more connection for {@code team}, which has {@code live} live ones; empty if it may. */
    public Optional<Violation> liveLimit(String team, long live) {
        Optional<Integer> max = maxLiveConnections(team);
        if (max.isEmpty()) {
            return Optional.of(new Violation(TEAM_FIELD, PREFIX + "team " + team + " is not in the policy, so it may "
                    + "request nothing (teams)"));
        }
        if (live < max.get()) {
            return Optional.empty();
        }
        return Optional.of(new Violation(TEAM_FIELD, PREFIX + team + " has " + live + " live connections, the most it "
                + "may have is " + max.get() + " (teams." + team + ".max_live_connections)"));
    }

    private static void access(String team, String rule, PolicyDocument.Remote remote, Access access,
            List<Violation> violations) {
        for (int i = 0; i < access.search().size(); i++) {
            Access.Search search = access.search().get(i);
            String field = "access.search[" + i + "]";
            if (Boolean.TRUE.equals(search.allowRestrictedIndices()) && !Boolean.TRUE.equals(remote.allowRestrictedIndices())) {
                violations.add(new Violation(field + ".allow_restricted_indices", PREFIX + team + " may not grant "
                        + "restricted indices on this remote: it needs allow_restricted_indices: true ("
                        + rule + ".allow_restricted_indices)"));
            }
            names(team, rule, remote, search.names(), field, violations);
        }
        if (!access.replication().isEmpty() && !Boolean.TRUE.equals(remote.replication())) {
            violations.add(new Violation("access.replication", PREFIX + team + " may not request replication from this "
                    + "remote: it needs replication: true (" + rule + ".replication)"));
            return;
        }
        for (int i = 0; i < access.replication().size(); i++) {
            names(team, rule, remote, access.replication().get(i).names(), "access.replication[" + i + "]", violations);
        }
    }

    private static void names(String team, String rule, PolicyDocument.Remote remote, List<String> names, String field,
            List<Violation> violations) {
        List<String> allowed = remote.indices() == null ? List.of() : remote.indices();
        for (int j = 0; j < names.size(); j++) {
            String name = names.get(j);
            String why = refusal(name, allowed, remote);
            if (why != null) {
                String key = why.startsWith("it needs allow_exclusions") ? ".allow_exclusions" : ".indices";
                violations.add(new Violation(field + ".names[" + j + "]", PREFIX + team + " may not request \"" + name
                        + "\" on this remote: " + why + " (" + rule + key + ")"));
            }
        }
    }

    /** Why {@code name} is not allowed by {@code allowed}, or null when it is. */
    static String refusal(String name, List<String> allowed, PolicyDocument.Remote remote) {
        if (name.startsWith("-")) {
            // An exclusion narrows what the other patterns grant; it is refused only because the policy must ask for it.
            return Boolean.TRUE.equals(remote.allowExclusions()) ? null : "it needs allow_exclusions: true";
        }
        if (onlyWildcards(name)) {
            return allowed.stream().anyMatch(AccessPolicy::onlyWildcards) ? null
                    : "a bare * is allowed only when * itself is listed";
        }
        if (name.startsWith(".")) {
            return allowed.stream().anyMatch(pattern -> pattern.startsWith(".") && covers(pattern, name)) ? null
                    : "a pattern starting with '.' needs an allowed pattern starting with '.' that covers it";
        }
        return allowed.stream().anyMatch(pattern -> covers(pattern, name)) ? null
                : "no allowed pattern covers it (allowed: " + allowed + ")";
    }

    /**
     * Whether every index name {@code requested} matches also matches {@code allowed}: an allowed {@code *} stands for
     * any run of the requested pattern (its own {@code *} included), every other character for itself only.
     */
    static boolean covers(String allowed, String requested) {
        int n = allowed.length();
        int m = requested.length();
        // covered[j]: allowed[i..] covers requested[j..], computed from i = n down to 0.
        boolean[] covered = new boolean[m + 1];
        covered[m] = true;
        for (int i = n - 1; i >= 0; i--) {
            char a = allowed.charAt(i);
            boolean[] current = new boolean[m + 1];
            if (a == '*') {
                current[m] = covered[m];
                for (int j = m - 1; j >= 0; j--) {
                    current[j] = covered[j] || current[j + 1];
                }
            } else {
                for (int j = m - 1; j >= 0; j--) {
                    current[j] = requested.charAt(j) == a && covered[j + 1];
                }
            }
            covered = current;
        }
        return covered[0];
    }

    private static boolean onlyWildcards(String pattern) {
        return !pattern.isEmpty() && pattern.chars().allMatch(c -> c == '*');
    }

    private static boolean matches(String environment, List<String> deployments, DeploymentRef ref) {
        return ref != null && environment.equals(ref.environment())
                && (deployments == null || deployments.contains(ref.deploymentId()));
    }

    private static String name(DeploymentRef ref) {
        return ref.environment() + "/" + ref.deploymentId();
    }

    private static String modelName(SecurityModel model) {
        return model == SecurityModel.TLS_CERTIFICATE ? "tls_certificate" : "api_key";
    }

    /** Every rule's shape, named by its path when wrong. */
    private static Map<String, PolicyDocument.Team> checked(PolicyDocument document) throws PolicyException {
        if (document.teams() == null) {
            throw new PolicyException("teams is required (a map of team name to its rules)");
        }
        Map<String, PolicyDocument.Team> teams = new LinkedHashMap<>();
        for (Map.Entry<String, PolicyDocument.Team> entry : document.teams().entrySet()) {
            String team = entry.getKey();
            String rule = "teams." + team;
            if (team.isBlank() || team.indexOf(':') >= 0 || team.chars().anyMatch(Character::isISOControl)) {
                throw new PolicyException("teams: \"" + team + "\" is no team name (non-blank, no ':', no control "
                        + "characters)");
            }
            PolicyDocument.Team rules = entry.getValue();
            if (rules == null) {
                throw new PolicyException(rule + " is empty: it needs locals, remotes, security_models and "
                        + "max_live_connections");
            }
            required(rules.locals(), rule + ".locals");
            required(rules.remotes(), rule + ".remotes");
            required(rules.securityModels(), rule + ".security_models");
            required(rules.maxLiveConnections(), rule + ".max_live_connections");
            if (rules.maxLiveConnections() < 0) {
                throw new PolicyException(rule + ".max_live_connections must be 0 or more");
            }
            if (rules.securityModels().contains(null)) {
                throw new PolicyException(rule + ".security_models must list api_key or tls_certificate");
            }
            for (int i = 0; i < rules.locals().size(); i++) {
                PolicyDocument.Deployments local = rules.locals().get(i);
                String path = rule + ".locals[" + i + "]";
                required(local, path);
                deployments(local.environment(), local.deployments(), path);
            }
            List<PolicyDocument.Remote> remotes = new ArrayList<>();
            for (int i = 0; i < rules.remotes().size(); i++) {
                PolicyDocument.Remote remote = rules.remotes().get(i);
                String path = rule + ".remotes[" + i + "]";
                required(remote, path);
                deployments(remote.environment(), remote.deployments(), path);
                List<String> indices = remote.indices() == null ? List.of() : remote.indices();
                for (int j = 0; j < indices.size(); j++) {
                    String pattern = indices.get(j);
                    if (pattern == null || pattern.isBlank()) {
                        throw new PolicyException(path + ".indices[" + j + "] must be a non-blank index pattern");
                    }
                    if (pattern.startsWith("-")) {
                        throw new PolicyException(path + ".indices[" + j + "] must not start with '-': indices lists "
                                + "what may be requested; allow_exclusions: true allows requested exclusions");
                    }
                }
                remotes.add(new PolicyDocument.Remote(remote.environment(), copy(remote.deployments()),
                        List.copyOf(indices), remote.replication(), remote.allowRestrictedIndices(),
                        remote.allowExclusions()));
            }
            teams.put(team, new PolicyDocument.Team(
                    rules.locals().stream().map(d -> new PolicyDocument.Deployments(d.environment(), copy(d.deployments())))
                            .toList(),
                    List.copyOf(remotes), List.copyOf(rules.securityModels()), rules.maxLiveConnections()));
        }
        return teams;
    }

    private static void deployments(String environment, List<String> deployments, String path) throws PolicyException {
        if (environment == null || environment.isBlank()) {
            throw new PolicyException(path + ".environment is required (the Cloud API environment, e.g. ece)");
        }
        if (deployments != null && (deployments.isEmpty()
                || deployments.stream().anyMatch(id -> id == null || id.isBlank()))) {
            throw new PolicyException(path + ".deployments must list deployment ids (leave it out for every "
                    + "deployment of the environment)");
        }
    }

    private static void required(Object value, String path) throws PolicyException {
        if (value == null) {
            throw new PolicyException(path + " is required");
        }
    }

    private static List<String> copy(List<String> values) {
        return values == null ? null : List.copyOf(values);
    }

    /** Where in the file {@code e} happened, less the last {@code drop} steps (an unknown key's own name). */
    private static String path(JsonMappingException e, int drop) {
        String path = e.getPath().subList(0, Math.max(0, e.getPath().size() - drop)).stream()
                .map(reference -> reference.getFieldName() != null ? reference.getFieldName()
                        : "[" + reference.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
        return path.isEmpty() ? "the top level" : path;
    }

    private static String where(JsonLocation location) {
        return location == null || location.getLineNr() < 0 ? ""
                : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    /** A policy file that cannot be used, with the reason naming the place. */
    public static class PolicyException extends Exception {
        public PolicyException(String message) {
            super(message, null, false, false);
        }
    }
}
