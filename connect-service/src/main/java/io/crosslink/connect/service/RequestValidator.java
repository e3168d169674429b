package io.crosslink.connect.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.crosslink.events.Access;
import io.crosslink.events.ConnectionRequest;
import io.crosslink.events.DeploymentRef;
import io.crosslink.events.EventCodec;
import io.crosslink.events.Registration;
import io.crosslink.events.RoleRequest;
import io.crosslink.events.SecurityModel;
import io.crosslink.events.TrustRequest;
import io.crosslink.events.Violation;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Field-level checks of a connection request that need no Elastic call, on the JSON tree so that a wrong
 * type or an unknown field is named like any other violation. The access rules are those of
 * {@code POST /_security/cross_cluster/api_key}: Elasticsearch would refuse the key later otherwise.
 * Each security model has its own fields: {@code access} (required) and {@code roles} belong to the API-key model,
 * {@code trust} and {@code registration} (optional, defaults stored) to the certificate model; a field of the other
 * model is refused with the reason. REST answers the violations with 400; the Kafka intake turns them into a REJECTED
 * connection.
 */
public final class RequestValidator {
    /** The alias names the keystore setting {@code cluster.remote.<alias>.credentials}. */
    static final Pattern ALIAS = Pattern.compile("^[a-z0-9_-]+$");
    static final int MAX_ALIAS = 200;
    /** Deployment ids and ref ids go into Cloud API paths: plain identifiers only. */
    static final Pattern IDENTIFIER = Pattern.compile("^[A-Za-z0-9_-]{1,64}$");
    static final Pattern ENVIRONMENT = Pattern.compile("^[A-Za-z0-9_-]{1,64}$");

    private static final Set<String> REQUEST_FIELDS =
            Set.of("alias", "securityModel", "local", "remote", "access", "skipUnavailable", "roles", "trust",
                    "registration", "certificateIdentity");
    private static final Set<String> TRUST_FIELDS = Set.of("all");
    private static final Set<String> DEPLOYMENT_FIELDS = Set.of("environment", "deploymentId", "refId");
    private static final Set<String> ACCESS_FIELDS = Set.of("search", "replication");
    private static final Set<String> SEARCH_FIELDS = Set.of("names", "query", "field_security", "allow_restricted_indices");
    private static final Set<String> FIELD_SECURITY_FIELDS = Set.of("grant", "except");

    /**
     * A request is a few hundred bytes; 64 KiB leaves room for long access lists and queries while bounding what one
     * caller makes the service parse, over REST and on the topic alike.
     */
    public static final int MAX_REQUEST_BYTES = 64 * 1024;
    /**
     * At most this many violations are listed, then one saying how many more: a 64 KiB list of bad names would
     * otherwise be answered with megabytes, and a REJECTED document too large for its topic.
     */
    public static final int MAX_VIOLATIONS = 100;
    /** An unknown field is named with at most this many characters of its name. */
    static final int MAX_NAME = 64;
    private static final Pattern PLAIN_NAME = Pattern.compile("^[A-Za-z0-9_@$-]{1," + MAX_NAME + "}$");
    static final String REQUIRED = "is required";
    static final String UNKNOWN = "unknown field";
    static final String NO_ACCESS = "must specify non-empty access for either search or replication";
    static final String DLS_WITH_REPLICATION =
            "search does not support document or field level security if replication is assigned";
    static final String DLS_ON_REPLICATION = "replication does not support document or field level security";
    static final String NO_PRIVILEGES =
            "must not be present: the key's privileges follow from search and replication";
    static final String ACCESS_IN_CERTIFICATE_MODEL = "must not be present in the tls_certificate model: R's own "
            + "roles decide what L may access there (access is what the api_key model's cross-cluster key grants)";
    static final String ROLES_IN_CERTIFICATE_MODEL = "must not be present in the tls_certificate model: roles with "
            + "remote_indices belong to the api_key model (with certificates, R's roles decide access)";
    static final String TRUST_IN_API_KEY_MODEL = "must not be present in the api_key model: trust settings belong to "
            + "the tls_certificate model";
    static final String IDENTITY_IN_CERTIFICATE_MODEL = "must not be present in the tls_certificate model: "
            + "strong identity is how an api_key model's cross-cluster key checks who signs the requests";
    static final String REGISTRATION_IN_API_KEY_MODEL = "must not be present in the api_key model: it chooses how a "
            + "tls_certificate remote is registered";

    /** A valid request (defaults applied), or the violations. */
    public record Result(ConnectionRequest request, List<Violation> violations) {
        public boolean valid() {
            return violations.isEmpty();
        }
    }

    private RequestValidator() {
    }

    public static Result validate(JsonNode body) {
        Result result = check(body);
        if (result.violations().size() <= MAX_VIOLATIONS) {
            return result;
        }
        List<Violation> listed = new ArrayList<>(result.violations().subList(0, MAX_VIOLATIONS));
        listed.add(new Violation("body", "has " + (result.violations().size() - MAX_VIOLATIONS)
                + " more violations (the first " + MAX_VIOLATIONS + " are listed)"));
        return new Result(null, listed);
    }

    private static Result check(JsonNode body) {
        List<Violation> violations = new ArrayList<>();
        if (body == null || !body.isObject()) {
            violations.add(new Violation("body", "must be a JSON object"));
            return new Result(null, violations);
        }
        unknownFields(body, "", REQUEST_FIELDS, violations);
        String alias = alias(body, violations);
        SecurityModel model = securityModel(body, violations);
        DeploymentRef local = deployment(body, "local", violations);
        DeploymentRef remote = deployment(body, "remote", violations);
        Boolean skipUnavailable = optionalBoolean(body, "skipUnavailable", "skipUnavailable", violations);
        notItself(local, remote, violations);
        if (model == SecurityModel.TLS_CERTIFICATE) {
            return certificateModel(body, alias, local, remote, skipUnavailable, violations);
        }
        Access access = access(body.get("access"), violations);
        List<RoleRequest> roles = RoleValidator.validate(body.get("roles"), access, violations);
        Boolean certificateIdentity = optionalBoolean(body, "certificateIdentity", "certificateIdentity", violations);
        if (model == SecurityModel.API_KEY) {
            refuse(body, "trust", TRUST_IN_API_KEY_MODEL, violations);
            refuse(body, "registration", REGISTRATION_IN_API_KEY_MODEL, violations);
        } else {
            // No model to judge them by: only their shape.
            trust(body.get("trust"), violations);
            registration(body.get("registration"), violations);
        }
        if (!violations.isEmpty()) {
            return new Result(null, violations);
        }
        return new Result(new ConnectionRequest(alias, model, local, remote, access,
                skipUnavailable == null ? Boolean.TRUE : skipUnavailable, roles.isEmpty() ? null : roles, null, null,
                Boolean.TRUE.equals(certificateIdentity) ? Boolean.TRUE : null), List.of());
    }

    /** A deployment is never its own remote: the key, the keystore entry and the remote would all be on it. */
    private static void notItself(DeploymentRef local, DeploymentRef remote, List<Violation> violations) {
        if (local != null && remote != null && local.deploymentId() != null
                && local.deploymentId().equals(remote.deploymentId())
                && Objects.equals(local.environment(), remote.environment())) {
            violations.add(new Violation("remote.deploymentId", "must differ from local.deploymentId: a deployment "
                    + "cannot be its own remote cluster"));
        }
    }

    /** The certificate model: no access, no roles; trust and registration with their defaults filled in. */
    private static Result certificateModel(JsonNode body, String alias, DeploymentRef local, DeploymentRef remote,
            Boolean skipUnavailable, List<Violation> violations) {
        refuse(body, "access", ACCESS_IN_CERTIFICATE_MODEL, violations);
        refuse(body, "roles", ROLES_IN_CERTIFICATE_MODEL, violations);
        refuse(body, "certificateIdentity", IDENTITY_IN_CERTIFICATE_MODEL, violations);
        TrustRequest trust = trust(body.get("trust"), violations);
        Registration registration = registration(body.get("registration"), violations);
        if (!violations.isEmpty()) {
            return new Result(null, violations);
        }
        return new Result(ConnectionRequest.tlsCertificate(alias, local, remote,
                skipUnavailable == null ? Boolean.TRUE : skipUnavailable,
                trust == null ? new TrustRequest(false) : trust,
                registration == null ? Registration.CLUSTER_SETTINGS : registration), List.of());
    }

    /** A field of the other security model: refused whatever its value (an explicit null counts as absent). */
    private static void refuse(JsonNode body, String field, String reason, List<Violation> violations) {
        JsonNode value = body.get(field);
        if (value != null && !value.isNull()) {
            violations.add(new Violation(field, reason));
        }
    }

    /** {@code "trust":{"all":true|false}}; absent or {@code all} absent means only the peer's cluster. */
    private static TrustRequest trust(JsonNode node, List<Violation> violations) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            violations.add(new Violation("trust", "must be an object such as {\"all\":false}"));
            return null;
        }
        unknownFields(node, "trust.", TRUST_FIELDS, violations);
        Boolean all = optionalBoolean(node, "all", "trust.all", violations);
        return new TrustRequest(all == null ? Boolean.FALSE : all);
    }

    private static Registration registration(JsonNode node, List<Violation> violations) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isTextual()) {
            switch (node.asText()) {
                case "cluster_settings" -> {
                    return Registration.CLUSTER_SETTINGS;
                }
                case "ece_remote_clusters" -> {
                    return Registration.ECE_REMOTE_CLUSTERS;
                }
                default -> {
                }
            }
        }
        violations.add(new Violation("registration", "must be cluster_settings or ece_remote_clusters"));
        return null;
    }

    /** What could be read of an invalid request, for the document of a REJECTED connection. */
    public static ConnectionRequest partial(JsonNode body) {
        if (body == null || !body.isObject()) {
            return new ConnectionRequest(null, null, null, null, null, null);
        }
        SecurityModel model = "api_key".equals(text(body.get("securityModel"))) ? SecurityModel.API_KEY
                : "tls_certificate".equals(text(body.get("securityModel"))) ? SecurityModel.TLS_CERTIFICATE : null;
        Access access;
        try {
            access = body.get("access") == null ? null : EventCodec.mapper().treeToValue(body.get("access"), Access.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            access = null;
        }
        List<RoleRequest> roles;
        try {
            roles = body.get("roles") == null || !body.get("roles").isArray() ? null
                    : List.of(EventCodec.mapper().treeToValue(body.get("roles"), RoleRequest[].class));
        } catch (JsonProcessingException | IllegalArgumentException | NullPointerException e) {
            roles = null;
        }
        JsonNode skip = body.get("skipUnavailable");
        JsonNode trustAll = body.path("trust").path("all");
        TrustRequest trust = trustAll.isBoolean() ? new TrustRequest(trustAll.asBoolean()) : null;
        Registration registration = registration(body.get("registration"), new ArrayList<>());
        JsonNode identity = body.get("certificateIdentity");
        return new ConnectionRequest(storable(body.get("alias")), model, partialDeployment(body.get("local")),
                partialDeployment(body.get("remote")), access, skip != null && skip.isBoolean() ? skip.asBoolean() : null,
                roles == null || roles.isEmpty() ? null : roles, trust, registration,
                identity != null && identity.isBoolean() && identity.asBoolean() ? Boolean.TRUE : null);
    }

    private static String alias(JsonNode body, List<Violation> violations) {
        String alias = requiredText(body, "alias", "alias", violations);
        if (alias == null) {
            return null;
        }
        if (alias.length() > MAX_ALIAS) {
            violations.add(new Violation("alias", "must be at most " + MAX_ALIAS + " characters"));
        } else if (!ALIAS.matcher(alias).matches()) {
            violations.add(new Violation("alias", "must contain only lowercase letters, digits, '-' and '_' "
                    + "(it names the keystore setting cluster.remote.<alias>.credentials)"));
        }
        return alias;
    }

    private static SecurityModel securityModel(JsonNode body, List<Violation> violations) {
        String model = requiredText(body, "securityModel", "securityModel", violations);
        if (model == null) {
            return null;
        }
        if (model.equals("api_key")) {
            return SecurityModel.API_KEY;
        }
        if (model.equals("tls_certificate")) {
            return SecurityModel.TLS_CERTIFICATE;
        }
        violations.add(new Violation("securityModel", "must be api_key or tls_certificate"));
        return null;
    }

    private static DeploymentRef deployment(JsonNode body, String field, List<Violation> violations) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            violations.add(new Violation(field, REQUIRED));
            return null;
        }
        if (!node.isObject()) {
            violations.add(new Violation(field, "must be an object"));
            return null;
        }
        unknownFields(node, field + ".", DEPLOYMENT_FIELDS, violations);
        String environment = requiredText(node, "environment", field + ".environment", violations);
        if (environment != null && !ENVIRONMENT.matcher(environment).matches()) {
            violations.add(new Violation(field + ".environment", "must be an environment name (letters, digits, '-', '_')"));
        }
        String deploymentId = requiredText(node, "deploymentId", field + ".deploymentId", violations);
        if (deploymentId != null && !IDENTIFIER.matcher(deploymentId).matches()) {
            violations.add(new Violation(field + ".deploymentId", "must be a deployment id (letters, digits, '-', '_')"));
        }
        String refId = null;
        JsonNode ref = node.get("refId");
        if (ref != null && !ref.isNull()) {
            if (!ref.isTextual() || !IDENTIFIER.matcher(ref.asText()).matches()) {
                violations.add(new Violation(field + ".refId", "must be a ref_id (letters, digits, '-', '_')"));
            } else {
                refId = ref.asText();
            }
        }
        return new DeploymentRef(environment, deploymentId, refId);
    }

    private static Access access(JsonNode node, List<Violation> violations) {
        int before = violations.size();
        if (node == null || node.isNull()) {
            violations.add(new Violation("access", REQUIRED));
            return null;
        }
        if (!node.isObject()) {
            violations.add(new Violation("access", "must be an object"));
            return null;
        }
        unknownFields(node, "access.", ACCESS_FIELDS, violations);
        JsonNode search = array(node, "search", "access.search", violations);
        JsonNode replication = array(node, "replication", "access.replication", violations);
        int searchCount = search == null ? 0 : search.size();
        int replicationCount = replication == null ? 0 : replication.size();
        if (violations.size() == before && searchCount == 0 && replicationCount == 0) {
            violations.add(new Violation("access", NO_ACCESS));
        }
        for (int i = 0; i < searchCount; i++) {
            searchEntry(search.get(i), "access.search[" + i + "]", replicationCount > 0, violations);
        }
        for (int i = 0; i < replicationCount; i++) {
            replicationEntry(replication.get(i), "access.replication[" + i + "]", violations);
        }
        if (violations.size() > before) {
            return null;
        }
        try {
            return EventCodec.mapper().treeToValue(node, Access.class);
        } catch (JsonProcessingException e) {
            violations.add(new Violation("access", "cannot be read"));
            return null;
        }
    }

    private static void searchEntry(JsonNode entry, String field, boolean withReplication, List<Violation> violations) {
        if (!entry.isObject()) {
            violations.add(new Violation(field, "must be an object"));
            return;
        }
        names(entry, field, violations);
        Iterator<String> fields = entry.fieldNames();
        while (fields.hasNext()) {
            String name = fields.next();
            JsonNode value = entry.get(name);
            String path = field + "." + fieldName(name);
            switch (name) {
                case "names" -> {
                }
                case "query" -> {
                    if (withReplication) {
                        violations.add(new Violation(path, DLS_WITH_REPLICATION));
                    } else if (!value.isObject() && !value.isTextual()) {
                        violations.add(new Violation(path, "must be a query object or its JSON string"));
                    }
                }
                case "field_security" -> {
                    if (withReplication) {
                        violations.add(new Violation(path, DLS_WITH_REPLICATION));
                    } else {
                        fieldSecurity(value, path, violations);
                    }
                }
                case "allow_restricted_indices" -> {
                    if (!value.isBoolean()) {
                        violations.add(new Violation(path, "must be true or false"));
                    }
                }
                case "privileges" -> violations.add(new Violation(path, NO_PRIVILEGES));
                default -> violations.add(new Violation(path, UNKNOWN));
            }
        }
    }

    private static void replicationEntry(JsonNode entry, String field, List<Violation> violations) {
        if (!entry.isObject()) {
            violations.add(new Violation(field, "must be an object"));
            return;
        }
        names(entry, field, violations);
        Iterator<String> fields = entry.fieldNames();
        while (fields.hasNext()) {
            String name = fields.next();
            String path = field + "." + fieldName(name);
            switch (name) {
                case "names" -> {
                }
                case "query", "field_security" -> violations.add(new Violation(path, DLS_ON_REPLICATION));
                case "privileges" -> violations.add(new Violation(path, NO_PRIVILEGES));
                default -> violations.add(new Violation(path, "unknown field (replication entries take only names)"));
            }
        }
    }

    private static void names(JsonNode entry, String field, List<Violation> violations) {
        JsonNode names = entry.get("names");
        if (names == null || names.isNull()) {
            violations.add(new Violation(field + ".names", REQUIRED));
        } else if (!names.isArray() || names.isEmpty()) {
            violations.add(new Violation(field + ".names", "must be a non-empty list of index names or patterns"));
        } else {
            for (int i = 0; i < names.size(); i++) {
                if (!names.get(i).isTextual() || names.get(i).asText().isBlank()) {
                    violations.add(new Violation(field + ".names[" + i + "]", "must be a non-empty string"));
                } else {
                    String path = field + ".names[" + i + "]";
                    IndexNames.problem(names.get(i).asText()).ifPresent(why -> violations.add(new Violation(path, why)));
                }
            }
        }
    }

    private static void fieldSecurity(JsonNode value, String field, List<Violation> violations) {
        if (!value.isObject()) {
            violations.add(new Violation(field, "must be an object with grant and/or except"));
            return;
        }
        unknownFields(value, field + ".", FIELD_SECURITY_FIELDS, violations);
        for (String list : FIELD_SECURITY_FIELDS) {
            JsonNode names = value.get(list);
            if (names == null || names.isNull()) {
                continue;
            }
            boolean strings = names.isArray();
            for (int i = 0; strings && i < names.size(); i++) {
                strings = names.get(i).isTextual();
            }
            if (!strings) {
                violations.add(new Violation(field + "." + list, "must be a list of field names"));
            } else if (list.equals("grant") && names.isEmpty()) {
                // Elasticsearch reads an empty grant as "metadata fields only", but the stored request drops empty
                // lists: the key would be made without that restriction. Refused rather than widened.
                violations.add(new Violation(field + ".grant", "must name at least one field (an empty grant is not "
                        + "supported)"));
            }
        }
    }

    private static JsonNode array(JsonNode node, String name, String field, List<Violation> violations) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isArray()) {
            violations.add(new Violation(field, "must be a list"));
            return null;
        }
        return value;
    }

    private static String requiredText(JsonNode node, String name, String field, List<Violation> violations) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            violations.add(new Violation(field, REQUIRED));
            return null;
        }
        if (!value.isTextual()) {
            violations.add(new Violation(field, "must be a string"));
            return null;
        }
        if (value.asText().isBlank()) {
            violations.add(new Violation(field, "must not be blank"));
            return null;
        }
        return value.asText();
    }

    private static Boolean optionalBoolean(JsonNode node, String name, String field, List<Violation> violations) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isBoolean()) {
            violations.add(new Violation(field, "must be true or false"));
            return null;
        }
        return value.asBoolean();
    }

    private static void unknownFields(JsonNode node, String prefix, Set<String> known, List<Violation> violations) {
        node.fieldNames().forEachRemaining(name -> {
            if (!known.contains(name)) {
                violations.add(new Violation(prefix + fieldName(name), UNKNOWN));
            }
        });
    }

    private static DeploymentRef partialDeployment(JsonNode node) {
        return node != null && node.isObject()
                ? new DeploymentRef(storable(node.get("environment")), storable(node.get("deploymentId")),
                        storable(node.get("refId")))
                : null;
    }

    private static String text(JsonNode node) {
        return node != null && node.isTextual() ? node.asText() : null;
    }

    /**
     * A string of an invalid request that a REJECTED connection can keep: the alias and the local deployment id are
     * columns of at most 255 characters, and PostgreSQL text holds no NUL. Anything else was not readable as the field.
     */
    private static String storable(JsonNode node) {
        String text = text(node);
        return text != null && text.length() <= 255 && text.indexOf('\0') < 0 ? text : null;
    }

    /**
     * An unknown field's name as a violation names it: as sent when plain, otherwise quoted with its control, format
     * and surrogate characters escaped and cut after {@value #MAX_NAME} characters, so a violation never echoes a long
     * or invisible name back (a blank name included).
     */
    static String fieldName(String name) {
        if (PLAIN_NAME.matcher(name).matches()) {
            return name;
        }
        StringBuilder quoted = new StringBuilder("\"");
        for (int i = 0; i < name.length(); i = name.offsetByCodePoints(i, 1)) {
            if (quoted.length() > MAX_NAME) {
                quoted.append("...");
                break;
            }
            int c = name.codePointAt(i);
            int type = Character.getType(c);
            if (c == '"' || c == '\\') {
                quoted.append('\\').appendCodePoint(c);
            } else if (Character.isISOControl(c) || Character.isWhitespace(c) || type == Character.FORMAT
                    || type == Character.SURROGATE || type == Character.UNASSIGNED || type == Character.PRIVATE_USE) {
                quoted.append(String.format("\\u%04x", c));
            } else {
                quoted.appendCodePoint(c);
            }
        }
        return quoted.append('"').toString();
    }
}
