package io.crosslink.cloudsim.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Validates JSON bodies against the response schemas of a Swagger 2.0 document (the ECE / Elastic Cloud
 * API specs, vendored in {@code src/test/resources/specs}).
 *
 * <p>Swagger 2.0 schemas are a JSON Schema draft-4 subset, so the whole spec is registered, under a synthetic
 * IRI, as one draft-4 document; each check validates against the subschema at a JSON pointer inside it
 * ({@code #/definitions/X} or {@code #/paths/.../responses/200/schema}), and {@code $ref: "#/definitions/Y"}
 * resolves within that same document. Vendor extensions ({@code x-*}), {@code discriminator}, {@code readOnly},
 * {@code example} are not draft-4 keywords and are ignored; {@code additionalProperties} stays permissive unless
 * the spec says otherwise; {@code required} is enforced.
 *
 * <p>Undeclared operations or statuses are contract failures too: they throw {@link AssertionError}.
 */
public final class SwaggerContract {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch");
    private static final Pattern PARAM = Pattern.compile("\\{([^}/]+)}");

    private final String name;
    private final String documentIri;
    private final JsonNode spec;
    private final String basePath;
    private final SchemaRegistry registry;
    private final List<Template> templates = new ArrayList<>();
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

    private SwaggerContract(String name, String text) throws IOException {
        this.name = name;
        this.spec = MAPPER.readTree(text);
        if (!"2.0".equals(spec.path("swagger").asText())) {
            throw new IllegalArgumentException(name + " is not a Swagger 2.0 document");
        }
        String bp = spec.path("basePath").asText("");
        this.basePath = bp.endsWith("/") ? bp.substring(0, bp.length() - 1) : bp;
        this.documentIri = "https://crosslink.invalid/swagger/" + name.replaceAll("[^A-Za-z0-9._-]", "_");
        SchemaRegistryConfig config = SchemaRegistryConfig.builder()
                .pathType(PathType.JSON_POINTER)
                .locale(Locale.ROOT)
                .build();
        this.registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4, builder -> builder
                .schemaRegistryConfig(config)
                .schemas(Map.of(documentIri, text)));
        for (Iterator<Map.Entry<String, JsonNode>> it = spec.path("paths").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            templates.add(new Template(e.getKey(), e.getValue()));
        }
    }

    /** Loads a Swagger 2.0 JSON document. */
    public static SwaggerContract load(Path swaggerJson) {
        try {
            return new SwaggerContract(swaggerJson.getFileName().toString(),
                    Files.readString(swaggerJson, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read Swagger spec " + swaggerJson, e);
        }
    }

    /**
     * The vendored copy of an official spec ({@code src/test/resources/specs/<fileName>}, see the README there), so
     * the build needs nothing outside the clone.
     */
    public static Path referenceSpec(String fileName) {
        URL spec = SwaggerContract.class.getResource("/specs/" + fileName);
        if (spec == null) {
            throw new IllegalStateException("reference spec " + fileName + " is not in src/test/resources/specs");
        }
        try {
            return Path.of(spec.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate reference spec " + spec, e);
        }
    }

    private static final Map<String, SwaggerContract> VENDORED = new ConcurrentHashMap<>();

    /** The official ECE spec, parsed once per test JVM (it is over 1 MB). */
    public static SwaggerContract ece() {
        return vendored("ece-apidocs.json");
    }

    /** The official Elastic Cloud user spec, parsed once per test JVM. */
    public static SwaggerContract ess() {
        return vendored("ess-apidocs-user.json");
    }

    private static SwaggerContract vendored(String fileName) {
        return VENDORED.computeIfAbsent(fileName, name -> load(referenceSpec(name)));
    }

    /** The parsed spec document. */
    public JsonNode spec() {
        return spec;
    }

    /**
     * Validates a response body against the schema the spec declares for that operation and status. {@code path}
     * is a concrete request path ({@code /api/v1/deployments/abc}, {@code /deployments/abc?show_plans=true}) or a
     * spec template; the basePath and query string are stripped. Literal segments win over parameters
     * ({@code .../elasticsearch/{ref_id}/_restart} over {@code .../{stateless_resource_kind}/{ref_id}/_restart}),
     * path parameters with an {@code enum} must match it, and a trailing {@code {..._path}} parameter (e.g.
     * {@code {proxy_path}}) may span several segments.
     *
     * @return the violations, each {@code "<JSON pointer>: <message> [<keyword> at <schema location>]"}; empty = valid
     * @throws AssertionError when the path, method or status is not declared in the spec
     */
    public List<String> validateResponse(String method, String path, int status, JsonNode body) {
        Operation op = operation(method, path);
        JsonNode responses = op.node.path("responses");
        String statusKey = String.valueOf(status);
        if (!responses.has(statusKey)) {
            throw new AssertionError(name + ": " + op + " declares no response " + status
                    + "; declared: " + fieldNames(responses));
        }
        JsonNode response = responses.get(statusKey);
        if (!response.has("schema")) {
            return List.of();
        }
        String pointer = "/paths/" + escape(op.template) + "/" + op.method + "/responses/" + escape(statusKey) + "/schema";
        return validate(pointer, body);
    }

    /** Validates a body against {@code #/definitions/<definitionName>}. */
    public List<String> validateDefinition(String definitionName, JsonNode body) {
        if (!spec.path("definitions").has(definitionName)) {
            throw new AssertionError(name + " has no definition " + definitionName);
        }
        return validate("/definitions/" + escape(definitionName), body);
    }

    /** {@link #validateResponse} that throws an {@link AssertionError} listing the violations. */
    public void assertValidResponse(String method, String path, int status, JsonNode body) {
        List<String> violations = validateResponse(method, path, status, body);
        if (!violations.isEmpty()) {
            throw new AssertionError(name + ": " + method.toUpperCase(Locale.ROOT) + " " + path + " -> " + status
                    + " violates the contract:\n  " + String.join("\n  ", violations) + "\nbody: " + body);
        }
    }

    /** {@link #validateDefinition} that throws an {@link AssertionError} listing the violations. */
    public void assertValidDefinition(String definitionName, JsonNode body) {
        List<String> violations = validateDefinition(definitionName, body);
        if (!violations.isEmpty()) {
            throw new AssertionError(name + ": body violates " + definitionName + ":\n  "
                    + String.join("\n  ", violations) + "\nbody: " + body);
        }
    }

    /** The spec template (e.g. {@code /deployments/{deployment_id}}) a request path resolves to. */
    public String resolveTemplate(String method, String path) {
        return operation(method, path).template;
    }

    /** The declared response statuses of an operation ("200", "404", ...). */
    public Set<String> declaredStatuses(String method, String path) {
        return fieldNames(operation(method, path).node.path("responses"));
    }

    private List<String> validate(String pointer, JsonNode body) {
        Schema schema = schemas.computeIfAbsent(pointer,
                p -> registry.getSchema(SchemaLocation.of(documentIri + "#" + p)));
        List<Error> errors = schema.validate(body == null ? MAPPER.nullNode() : body);
        List<String> out = new ArrayList<>(errors.size());
        for (Error error : errors) {
            String at = error.getInstanceLocation() == null ? "" : error.getInstanceLocation().toString();
            String schemaAt = error.getSchemaLocation() == null ? "?" : String.valueOf(error.getSchemaLocation().getFragment());
            out.add((at.isEmpty() ? "/" : at) + ": " + error.getMessage()
                    + " [" + error.getKeyword() + " at #" + schemaAt + "]");
        }
        return out;
    }

    private Operation operation(String method, String rawPath) {
        String m = method.toLowerCase(Locale.ROOT);
        if (!METHODS.contains(m)) {
            throw new IllegalArgumentException("not an HTTP method: " + method);
        }
        String path = normalize(rawPath);
        // Tier 1: templates with as many segments as the path; tier 2 (only if tier 1 is empty): a trailing
        // parameter spanning several segments ({proxy_path}). Within a tier, templates declaring the method win.
        List<Template> tier = new ArrayList<>();
        List<int[]> scores = new ArrayList<>();
        for (boolean spanning : new boolean[] {false, true}) {
            for (Template t : templates) {
                int[] score = t.match(path, spanning);
                if (score != null) {
                    tier.add(t);
                    scores.add(score);
                }
            }
            if (!tier.isEmpty()) {
                break;
            }
        }
        if (tier.isEmpty()) {
            throw new AssertionError(name + " declares no path matching " + rawPath + " (normalized " + path + ")");
        }
        boolean anyDeclares = tier.stream().anyMatch(t -> t.node.has(m));
        Template best = null;
        int[] bestScore = null;
        List<String> tied = new ArrayList<>();
        for (int i = 0; i < tier.size(); i++) {
            Template t = tier.get(i);
            if (anyDeclares && !t.node.has(m)) {
                continue;
            }
            int cmp = bestScore == null ? 1 : compare(scores.get(i), bestScore);
            if (cmp > 0) {
                best = t;
                bestScore = scores.get(i);
                tied.clear();
                tied.add(t.template);
            } else if (cmp == 0) {
                tied.add(t.template);
            }
        }
        if (tied.size() > 1) {
            throw new AssertionError(name + ": " + rawPath + " matches several templates equally: " + tied);
        }
        JsonNode op = best.node.get(m);
        if (op == null) {
            throw new AssertionError(name + ": " + best.template + " declares no " + m.toUpperCase(Locale.ROOT)
                    + "; declared: " + best.methods());
        }
        return new Operation(best.template, m, op);
    }

    private String normalize(String rawPath) {
        String p = rawPath;
        int q = p.indexOf('?');
        if (q >= 0) {
            p = p.substring(0, q);
        }
        int hash = p.indexOf('#');
        if (hash >= 0) {
            p = p.substring(0, hash);
        }
        if (p.startsWith("http://") || p.startsWith("https://")) {
            int slash = p.indexOf('/', p.indexOf("//") + 2);
            p = slash < 0 ? "/" : p.substring(slash);
        }
        if (!p.startsWith("/")) {
            p = "/" + p;
        }
        if (!basePath.isEmpty() && (p.equals(basePath) || p.startsWith(basePath + "/"))) {
            p = p.substring(basePath.length());
        }
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p.isEmpty() ? "/" : p;
    }

    /**
     * The longer template wins (a trailing parameter spans as little as possible), then segment by segment a literal
     * beats a parameter at the first difference.
     */
    private static int compare(int[] a, int[] b) {
        if (a.length != b.length) {
            return Integer.compare(a.length, b.length);
        }
        for (int i = 0; i < a.length; i++) {
            if (a[i] != b[i]) {
                return Integer.compare(a[i], b[i]);
            }
        }
        return 0;
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** JSON pointer token escaping (RFC 6901). */
    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    private record Operation(String template, String method, JsonNode node) {
        @Override
        public String toString() {
            return method.toUpperCase(Locale.ROOT) + " " + template;
        }
    }

    /** One path template, compiled to a regex per segment. */
    private static final class Template {
        final String template;
        final JsonNode node;
        final String[] segments;
        final Pattern[] patterns;
        final List<List<String>> paramNames = new ArrayList<>();
        final boolean trailingParam;

        Template(String template, JsonNode node) {
            this.template = template;
            this.node = node;
            String t = template.startsWith("/") ? template.substring(1) : template;
            this.segments = t.isEmpty() ? new String[0] : t.split("/", -1);
            this.patterns = new Pattern[segments.length];
            for (int i = 0; i < segments.length; i++) {
                Matcher mt = PARAM.matcher(segments[i]);
                StringBuilder re = new StringBuilder();
                List<String> names = new ArrayList<>();
                int last = 0;
                while (mt.find()) {
                    re.append(Pattern.quote(segments[i].substring(last, mt.start()))).append("([^/]+)");
                    names.add(mt.group(1));
                    last = mt.end();
                }
                re.append(Pattern.quote(segments[i].substring(last)));
                patterns[i] = Pattern.compile(re.toString());
                paramNames.add(names);
            }
            // Only a trailing parameter named like a path ({proxy_path}) may span several segments; {ref_id} may not.
            this.trailingParam = segments.length > 0 && segments[segments.length - 1].matches("\\{[^}/]*path}");
        }

        Set<String> methods() {
            Set<String> ms = new TreeSet<>();
            node.fieldNames().forEachRemaining(f -> {
                if (METHODS.contains(f)) {
                    ms.add(f.toUpperCase(Locale.ROOT));
                }
            });
            return ms;
        }

        /**
         * @param spanning whether the trailing parameter must span several segments (else segment counts must agree)
         * @return null when the path does not match, else per template segment 2 for a literal, 1 for a parameter
         * (3 everywhere when the path is the template itself)
         */
        int[] match(String path, boolean spanning) {
            if (!spanning && path.equals(template)) {
                int[] exact = new int[segments.length];
                java.util.Arrays.fill(exact, 3);
                return exact;
            }
            String p = path.startsWith("/") ? path.substring(1) : path;
            String[] parts = p.isEmpty() ? new String[0] : p.split("/", -1);
            if (!spanning && parts.length != segments.length) {
                return null;
            }
            if (spanning) {
                if (!trailingParam || parts.length <= segments.length) {
                    return null;
                }
                String[] joined = new String[segments.length];
                System.arraycopy(parts, 0, joined, 0, segments.length - 1);
                joined[segments.length - 1] = String.join("/", List.of(parts).subList(segments.length - 1, parts.length));
                parts = joined;
            }
            int[] score = new int[segments.length];
            for (int i = 0; i < segments.length; i++) {
                String part = parts[i];
                List<String> names = paramNames.get(i);
                if (names.isEmpty()) {
                    if (!segments[i].equals(part)) {
                        return null;
                    }
                    score[i] = 2;
                    continue;
                }
                boolean last = i == segments.length - 1;
                Matcher mt = (last && spanning ? Pattern.compile(patterns[i].pattern().replace("([^/]+)", "(.+)")) : patterns[i])
                        .matcher(part);
                if (!mt.matches()) {
                    return null;
                }
                for (int g = 0; g < names.size(); g++) {
                    if (!allowed(names.get(g), mt.group(g + 1))) {
                        return null;
                    }
                }
                score[i] = 1;
            }
            return score;
        }

        /** A path parameter with an {@code enum} (e.g. resource_kind) only matches its values, if all methods agree. */
        private boolean allowed(String param, String value) {
            if (value.startsWith("{") && value.endsWith("}")) {
                return true; // caller passed a template placeholder
            }
            boolean constrained = false;
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!METHODS.contains(e.getKey()) && !"parameters".equals(e.getKey())) {
                    continue;
                }
                JsonNode params = "parameters".equals(e.getKey()) ? e.getValue() : e.getValue().path("parameters");
                for (JsonNode prm : params) {
                    if (param.equals(prm.path("name").asText()) && "path".equals(prm.path("in").asText())) {
                        JsonNode en = prm.get("enum");
                        if (en == null || !en.isArray()) {
                            return true;
                        }
                        constrained = true;
                        for (JsonNode v : en) {
                            if (v.asText().equals(value)) {
                                return true;
                            }
                        }
                    }
                }
            }
            return !constrained;
        }
    }
}
