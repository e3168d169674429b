package io.crosslink.cloudsim.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.crosslink.cloudsim.domain.CloudApiException;
import io.crosslink.cloudsim.domain.TrustSettings;
import io.crosslink.cloudsim.domain.TrustSettings.AccountTrust;
import io.crosslink.cloudsim.domain.TrustSettings.DirectTrust;
import io.crosslink.infra.CertificateAuthority;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Reads an {@code ElasticsearchClusterTrustSettings} object of an update request, field by field, so a refusal
 * names the exact field ({@code resources.elasticsearch[0].settings.trust.direct[1].certificates}).
 */
final class TrustSettingsParser {
    private static final Pattern SCOPE_ID = Pattern.compile("[a-z0-9]{1,32}");
    /** Cluster ids and node names: no wildcards (the spec forbids them), nothing a YAML list could trip on. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
    private static final Set<String> TYPES = Set.of("ECE", "ESS", "generic", "proxy");

    private final Set<String> knownAccounts;
    private final String prefix;

    TrustSettingsParser(Set<String> knownAccounts, String prefix) {
        this.knownAccounts = knownAccounts;
        this.prefix = prefix;
    }

    TrustSettings parse(JsonNode trust) {
        if (!trust.isObject()) {
            throw invalid("", "The trust settings must be an object.");
        }
        List<AccountTrust> accounts = new ArrayList<>();
        Set<String> accountIds = new HashSet<>();
        JsonNode accountsNode = optionalArray(trust, "accounts", "");
        for (int i = 0; i < accountsNode.size(); i++) {
            AccountTrust account = account(accountsNode.get(i), "accounts[" + i + "].");
            if (!accountIds.add(account.accountId())) {
                throw invalid("accounts[" + i + "].account_id", "Duplicate account [" + account.accountId() + "].");
            }
            accounts.add(account);
        }
        JsonNode external = optionalArray(trust, "external", "");
        if (!external.isEmpty()) {
            throw invalid("external[0].trust_relationship_id", "cloud-sim has no external trust relationships.");
        }
        List<DirectTrust> direct = new ArrayList<>();
        Set<String> uids = new HashSet<>();
        JsonNode directNode = optionalArray(trust, "direct", "");
        for (int i = 0; i < directNode.size(); i++) {
            DirectTrust entry = direct(directNode.get(i), "direct[" + i + "].");
            if (!uids.add(entry.uid())) {
                throw invalid("direct[" + i + "].uid", "Duplicate uid [" + entry.uid() + "].");
            }
            direct.add(entry);
        }
        return new TrustSettings(accounts, direct);
    }

    private AccountTrust account(JsonNode item, String at) {
        requireObject(item, at);
        String accountId = requiredText(item, "account_id", at);
        if (!knownAccounts.contains(accountId)) {
            throw invalid(at + "account_id", "Unknown account [" + accountId + "]: cloud-sim knows " + knownAccounts + ".");
        }
        return new AccountTrust(accountId, optionalText(item, "name", at), requiredBoolean(item, "trust_all", at),
                names(item, "trust_allowlist", at));
    }

    private DirectTrust direct(JsonNode item, String at) {
        requireObject(item, at);
        String name = requiredText(item, "name", at);
        boolean trustAll = requiredBoolean(item, "trust_all", at);
        String type = optionalText(item, "type", at).orElse("generic");
        if (!TYPES.contains(type)) {
            throw invalid(at + "type", "Unknown type [" + type + "]: one of " + TYPES + ".");
        }
        Optional<String> scopeId = optionalText(item, "scope_id", at);
        if (scopeId.isPresent() && !SCOPE_ID.matcher(scopeId.get()).matches()) {
            throw invalid(at + "scope_id", "The scope id must be a lowercase alphanumerical string of max 32 characters.");
        }
        List<String> allowlist = names(item, "trust_allowlist", at);
        List<String> nodeNames = names(item, "additional_node_names", at);
        if (type.equals("proxy")) {
            if (trustAll || !allowlist.isEmpty() || scopeId.isPresent() || !nodeNames.isEmpty()) {
                throw invalid(at + "type", "A proxy trust needs trust_all false and no trust_allowlist, scope_id or "
                        + "additional_node_names.");
            }
        } else if ((trustAll || !allowlist.isEmpty()) && scopeId.isEmpty()) {
            throw invalid(at + "scope_id", "A scope id is required with trust_all or a trust_allowlist.");
        } else if (scopeId.isEmpty() && nodeNames.isEmpty()) {
            throw invalid(at + "additional_node_names", "Node names are required without a scope id.");
        }
        JsonNode certificates = item.get("certificates");
        if (certificates == null || !certificates.isArray() || certificates.isEmpty()) {
            throw invalid(at + "certificates", "At least one certificate is required.");
        }
        List<String> pems = new ArrayList<>();
        for (int i = 0; i < certificates.size(); i++) {
            String certAt = at + "certificates[" + i + "].";
            requireObject(certificates.get(i), certAt);
            String pem = requiredText(certificates.get(i), "pem", certAt);
            List<X509Certificate> parsed;
            try {
                parsed = CertificateAuthority.parseCertificates(pem);
            } catch (IOException | RuntimeException e) {
                parsed = List.of();
            }
            if (parsed.size() != 1) {
                throw invalid(certAt + "pem", "Expected exactly one PEM certificate.");
            }
            pems.add(CertificateAuthority.toPem(parsed.get(0)));
        }
        String uid = optionalText(item, "uid", at).orElseGet(() -> UUID.randomUUID().toString().replace("-", ""));
        return new DirectTrust(uid, name, type, scopeId, trustAll, allowlist, nodeNames, pems);
    }

    private JsonNode optionalArray(JsonNode parent, String field, String at) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) {
            return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
        }
        if (!value.isArray()) {
            throw invalid(at + field, "Expected an array.");
        }
        return value;
    }

    private List<String> names(JsonNode parent, String field, String at) {
        JsonNode array = optionalArray(parent, field, at);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            JsonNode name = array.get(i);
            if (!name.isTextual() || !NAME.matcher(name.asText()).matches()) {
                throw invalid(at + field + "[" + i + "]", "Expected a name without wildcards (letters, digits, '.', '_', '-').");
            }
            if (!names.contains(name.asText())) {
                names.add(name.asText());
            }
        }
        return names;
    }

    private void requireObject(JsonNode item, String at) {
        if (item == null || !item.isObject()) {
            throw invalid(at.isEmpty() ? "" : at.substring(0, at.length() - 1), "Expected an object.");
        }
    }

    private String requiredText(JsonNode parent, String field, String at) {
        JsonNode value = parent.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw invalid(at + field, "Missing required field [" + field + "].");
        }
        return value.asText();
    }

    private Optional<String> optionalText(JsonNode parent, String field, String at) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw invalid(at + field, "Expected a string.");
        }
        return Optional.of(value.asText());
    }

    private boolean requiredBoolean(JsonNode parent, String field, String at) {
        JsonNode value = parent.get(field);
        if (value == null || !value.isBoolean()) {
            throw invalid(at + field, "Missing required boolean field [" + field + "].");
        }
        return value.asBoolean();
    }

    private CloudApiException invalid(String field, String message) {
        String path = field.isEmpty() ? prefix : prefix + "." + field;
        return new CloudApiException(400, "root.invalid_json_request", message, List.of(path));
    }
}
