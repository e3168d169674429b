package io.crosslink.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * A connection request, as the body of {@code POST /api/v1/connections}: from {@code --file} (sent exactly as written,
 * so the server's strict reading judges it), or built from one flag per field. A mixin, so that a later {@code plan}
 * command takes the same request the same way.
 *
 * <p>Only what is given is sent, and nothing is validated here beyond the flags' own syntax: connect-service judges the
 * request and names every violated field in one answer.
 */
final class RequestFlags {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The server refuses more than 64 KiB (413); reading stops well before anything could exhaust memory. */
    private static final int MAX_FILE_BYTES = 1024 * 1024;

    @Option(names = {"-f", "--file"}, paramLabel = "FILE",
            description = "The whole request body as JSON (- for standard input); no other request flag with it.")
    String file;

    @Option(names = "--alias", paramLabel = "ALIAS", description = "The remote cluster's alias on the local deployment.")
    String alias;

    @Option(names = "--model", paramLabel = "api_key|tls_certificate",
            description = "securityModel (default api_key when the request is given by flags).")
    String securityModel;

    @Option(names = "--local", paramLabel = "ENV:ID[:REF]", converter = DeploymentRef.class,
            description = "The local deployment L: environment, deployment id, optional Elasticsearch ref id.")
    ObjectNode local;

    @Option(names = "--remote", paramLabel = "ENV:ID[:REF]", converter = DeploymentRef.class,
            description = "The remote deployment R, as --local.")
    ObjectNode remote;

    @Option(names = "--search", paramLabel = "NAMES",
            description = "access.search: index names or patterns, comma-separated; repeat for another entry.")
    List<String> search;

    @Option(names = "--replication", paramLabel = "NAMES",
            description = "access.replication: index names, comma-separated; repeat for another entry.")
    List<String> replication;

    @Option(names = "--access", paramLabel = "JSON", description = "The whole access object as JSON (for query,"
            + " field_security, allow_restricted_indices); instead of --search and --replication.")
    String access;

    @Option(names = "--role", paramLabel = "NAME:INDICES:PRIVILEGES", description = "A local role on L (api_key),"
            + " e.g. demo-reader:demo-index:read,view_index_metadata; repeat a name for more indices entries.")
    List<String> roles;

    @Option(names = "--trust-all", negatable = true,
            description = "tls_certificate: trust the peer's whole organization or installation (trust.all).")
    Boolean trustAll;

    @Option(names = "--registration", paramLabel = "cluster_settings|ece_remote_clusters",
            description = "tls_certificate: how the remote is registered on L.")
    String registration;

    @Option(names = "--skip-unavailable", negatable = true,
            description = "skipUnavailable of the remote on L (the server's default: true).")
    Boolean skipUnavailable;

    @Option(names = "--certificate-identity", negatable = true,
            description = "api_key, Elasticsearch 9.3+ on both sides: R's key accepts only requests L signs with its"
                    + " own node certificate (strong identity; certificateIdentity).")
    Boolean certificateIdentity;

    /** The body to send: the file's bytes as written, or the JSON the flags make. */
    String body(InputStream stdin) {
        if (file != null) {
            if (anyFlag()) {
                throw CliFailure.badInput("--file holds the whole request: give either --file or the request flags");
            }
            return read(file, stdin);
        }
        if (!anyFlag()) {
            throw CliFailure.badInput("no request: give --file FILE, or the request flags (--alias, --local, --remote,"
                    + " --search, ...; see crosslink connect --help)");
        }
        return build().toString();
    }

    private boolean anyFlag() {
        return alias != null || securityModel != null || local != null || remote != null || search != null
                || replication != null || access != null || roles != null || trustAll != null || registration != null
                || skipUnavailable != null || certificateIdentity != null;
    }

    /** The request object of the flags, in the schema's field names; only the fields given. */
    ObjectNode build() {
        ObjectNode request = JSON.createObjectNode();
        if (alias != null) {
            request.put("alias", alias);
        }
        request.put("securityModel", securityModel != null ? securityModel : "api_key");
        if (local != null) {
            request.set("local", local);
        }
        if (remote != null) {
            request.set("remote", remote);
        }
        if (access != null && (search != null || replication != null)) {
            throw CliFailure.badInput("--access holds the whole access object: give either --access or --search/--replication");
        }
        if (access != null) {
            request.set("access", parse(access, "--access"));
        } else if (search != null || replication != null) {
            ObjectNode accessNode = request.putObject("access");
            addEntries(accessNode, "search", search);
            addEntries(accessNode, "replication", replication);
        }
        if (roles != null) {
            request.set("roles", roles());
        }
        if (trustAll != null) {
            request.putObject("trust").put("all", trustAll);
        }
        if (registration != null) {
            request.put("registration", registration);
        }
        if (skipUnavailable != null) {
            request.put("skipUnavailable", skipUnavailable);
        }
        if (certificateIdentity != null) {
            request.put("certificateIdentity", certificateIdentity);
        }
        return request;
    }

    private static void addEntries(ObjectNode access, String kind, List<String> entries) {
        if (entries == null) {
            return;
        }
        ArrayNode array = access.putArray(kind);
        for (String names : entries) {
            ArrayNode namesArray = array.addObject().putArray("names");
            split(names).forEach(namesArray::add);
        }
    }

    /**
     * {@code NAME:INDICES:PRIVILEGES}, split at the last two colons: index names and privileges never hold one, a role
     * name may. The same name again adds an indices entry to that role.
     */
    private ArrayNode roles() {
        Map<String, ArrayNode> indicesByRole = new LinkedHashMap<>();
        for (String role : roles) {
            int privilegesAt = role.lastIndexOf(':');
            int indicesAt = privilegesAt <= 0 ? -1 : role.lastIndexOf(':', privilegesAt - 1);
            if (indicesAt <= 0) {
                throw CliFailure.badInput("--role " + role + " must be NAME:INDICES:PRIVILEGES, e.g."
                        + " demo-reader:demo-index:read,view_index_metadata");
            }
            ObjectNode entry = indicesByRole.computeIfAbsent(role.substring(0, indicesAt), name -> JSON.createArrayNode())
                    .addObject();
            ArrayNode names = entry.putArray("names");
            split(role.substring(indicesAt + 1, privilegesAt)).forEach(names::add);
            ArrayNode privileges = entry.putArray("privileges");
            split(role.substring(privilegesAt + 1)).forEach(privileges::add);
        }
        ArrayNode array = JSON.createArrayNode();
        indicesByRole.forEach((name, indices) -> array.addObject().put("name", name).set("indices", indices));
        return array;
    }

    private static List<String> split(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(String::strip).filter(name -> !name.isEmpty()).toList();
    }

    private static JsonNode parse(String json, String option) {
        try {
            JsonNode node = JSON.readTree(json);
            if (node == null || !node.isObject()) {
                throw CliFailure.badInput(option + " must be a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw CliFailure.badInput(option + " is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static String read(String file, InputStream stdin) {
        try (InputStream in = "-".equals(file) ? nonClosing(stdin) : Files.newInputStream(Path.of(file))) {
            byte[] bytes = in.readNBytes(MAX_FILE_BYTES + 1);
            if (bytes.length > MAX_FILE_BYTES) {
                throw CliFailure.badInput("the request file " + file + " is larger than 1 MiB");
            }
            String body = new String(bytes, StandardCharsets.UTF_8);
            if (body.isBlank()) {
                throw CliFailure.badInput("the request file " + file + " is empty");
            }
            return body;
        } catch (NoSuchFileException e) {
            throw CliFailure.badInput("the request file " + file + " does not exist");
        } catch (IOException e) {
            throw CliFailure.badInput("cannot read the request file " + file + ": " + e.getMessage());
        }
    }

    /** Standard input stays open for whoever owns it (the JVM, or a test). */
    private static InputStream nonClosing(InputStream stdin) {
        return new java.io.FilterInputStream(stdin) {
            @Override
            public void close() {
            }
        };
    }

    /** {@code ENV:ID[:REF]} → {@code {"environment","deploymentId"[,"refId"]}}. */
    static final class DeploymentRef implements picocli.CommandLine.ITypeConverter<ObjectNode> {
        @Override
        public ObjectNode convert(String value) {
            String[] parts = value.split(":", -1);
            if (parts.length < 2 || parts.length > 3 || Arrays.stream(parts).anyMatch(String::isBlank)) {
                throw new picocli.CommandLine.TypeConversionException("'" + value + "' is not ENV:DEPLOYMENT_ID[:REF_ID],"
                        + " e.g. ece:c0ffee00a1b2c3d4e5f60718293a4b5c");
            }
            ObjectNode reference = JSON.createObjectNode().put("environment", parts[0].strip())
                    .put("deploymentId", parts[1].strip());
            if (parts.length == 3) {
                reference.put("refId", parts[2].strip());
            }
            return reference;
        }
    }
}
