package io.crosslink.cloudsim.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crosslink.cloudsim.config.SimConfig;
import io.crosslink.cloudsim.config.SimConfig.EnvironmentKind;
import io.crosslink.cloudsim.domain.SimDeployment;
import io.crosslink.cloudsim.domain.TrustSettings;
import io.crosslink.cloudsim.domain.TrustSettings.AccountTrust;
import io.crosslink.cloudsim.domain.TrustSettings.DirectTrust;
import io.crosslink.infra.CertificateAuthority;
import java.security.cert.X509Certificate;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Builds Cloud API response documents. Every property the ECE and Elastic Cloud specs mark required is
 * present, with empty lists where the simulator has nothing to say (the contract test checks this).
 */
@ApplicationScoped
public class CloudDocuments {
    private static final List<String> OTHER_RESOURCE_KINDS =
            List.of("kibana", "apm", "appsearch", "enterprise_search", "integrations_server");

    private final ObjectMapper mapper;
    private final SimConfig config;
    private final TrustService trust;

    public CloudDocuments(ObjectMapper mapper, SimConfig config, TrustService trust) {
        this.mapper = mapper;
        this.config = config;
        this.trust = trust;
    }

    /** {@code DeploymentsListResponse}. */
    public ObjectNode listing(List<SimDeployment> deployments) {
        ObjectNode root = mapper.createObjectNode();
        ArrayNode items = root.putArray("deployments");
        for (SimDeployment deployment : deployments) {
            summary(items.addObject(), deployment);
        }
        return root;
    }

    /** A deployment's id, names and Elasticsearch resource, as the listing and the update response show them. */
    private ObjectNode summary(ObjectNode target, SimDeployment deployment) {
        target.put("id", deployment.id());
        target.put("name", deployment.config().name());
        target.put("alias", deployment.config().name());
        ObjectNode resource = target.putArray("resources").addObject();
        resource.put("ref_id", deployment.config().refId());
        resource.put("id", deployment.config().clusterId());
        resource.put("kind", "elasticsearch");
        resource.put("region", deployment.environment().region());
        resource.put("cloud_id", cloudId(deployment));
        return target;
    }

    /** {@code DeploymentGetResponse}; trust settings only with {@code show_settings=true}, as the API does. */
    public ObjectNode deployment(SimDeployment deployment, boolean showSettings) {
        ObjectNode root = mapper.createObjectNode();
        root.put("id", deployment.id());
        root.put("name", deployment.config().name());
        root.put("alias", deployment.config().name());
        root.put("healthy", !deployment.restarting());
        ObjectNode metadata = root.putObject("metadata");
        metadata.put("last_modified", deployment.lastModified().toString());
        metadata.put("system_owned", false);
        metadata.put("hidden", false);
        if (deployment.environment().kind() == EnvironmentKind.ESS) {
            metadata.put("organization_id", deployment.environment().accountId());
        }
        ObjectNode resources = root.putObject("resources");
        resources.putArray("elasticsearch").add(elasticsearchResource(deployment, showSettings));
        OTHER_RESOURCE_KINDS.forEach(resources::putArray);
        return root;
    }

    private ObjectNode elasticsearchResource(SimDeployment deployment, boolean showSettings) {
        ObjectNode resource = mapper.createObjectNode();
        resource.put("ref_id", deployment.config().refId());
        resource.put("id", deployment.config().clusterId());
        resource.put("region", deployment.environment().region());
        ObjectNode info = resource.putObject("info");
        boolean healthy = !deployment.restarting();
        info.put("cluster_id", deployment.config().clusterId());
        info.put("cluster_name", deployment.config().name());
        info.put("deployment_id", deployment.id());
        info.put("healthy", healthy);
        info.put("status", deployment.restarting() ? "restarting" : "started");
        info.put("region", deployment.environment().region());
        for (String kind : List.of("associated_kibana_clusters", "associated_apm_clusters",
                "associated_appsearch_clusters", "associated_enterprise_search_clusters", "external_links")) {
            info.putArray(kind);
        }
        ObjectNode elasticsearch = info.putObject("elasticsearch");
        elasticsearch.put("healthy", healthy);
        ObjectNode shards = elasticsearch.putObject("shard_info");
        shards.put("healthy", healthy);
        shards.putArray("available_shards");
        shards.putArray("unavailable_shards");
        shards.putArray("unavailable_replicas");
        ObjectNode master = elasticsearch.putObject("master_info");
        master.put("healthy", healthy);
        master.putArray("masters");
        master.putArray("instances_with_no_master");
        ObjectNode blocking = elasticsearch.putObject("blocking_issues");
        blocking.put("healthy", true);
        blocking.putArray("cluster_level");
        blocking.putArray("index_level");
        info.set("metadata", clusterMetadata(deployment));
        ObjectNode plans = info.putObject("plan_info");
        plans.put("healthy", true);
        plans.set("current", planInfo(deployment));
        if (deployment.restarting() || deployment.planPending()) {
            plans.set("pending", planInfo(deployment));
        }
        plans.putArray("history");
        ObjectNode snapshots = info.putObject("snapshots");
        snapshots.put("healthy", true);
        snapshots.put("count", 0);
        snapshots.put("recent_success", false);
        ObjectNode topology = info.putObject("topology");
        topology.put("healthy", healthy);
        topology.putArray("instances");
        if (showSettings) {
            info.putObject("settings").set("trust", trust(trust.effective(deployment)));
        }
        return resource;
    }

    private ObjectNode clusterMetadata(SimDeployment deployment) {
        ObjectNode metadata = mapper.createObjectNode();
        metadata.put("version", deployment.resourceVersion());
        metadata.put("last_modified", deployment.lastModified().toString());
        metadata.put("endpoint", deployment.endpoint());
        metadata.put("aliased_endpoint", deployment.endpoint());
        metadata.put("service_url", serviceUrl(deployment));
        metadata.put("aliased_url", serviceUrl(deployment));
        metadata.put("cloud_id", cloudId(deployment));
        ObjectNode ports = metadata.putObject("ports");
        ports.put("http", 9200);
        ports.put("https", config.passthroughPort());
        ports.put("transport_passthrough", deployment.transportPort());
        return metadata;
    }

    private ObjectNode planInfo(SimDeployment deployment) {
        ObjectNode info = mapper.createObjectNode();
        info.put("plan_attempt_id", deployment.id() + "-" + deployment.resourceVersion());
        info.put("healthy", true);
        info.put("attempt_start_time", deployment.created().toString());
        info.putArray("plan_attempt_log");
        info.putArray("warnings");
        ObjectNode plan = info.putObject("plan");
        // What the node itself reports (_nodes/_local), as Elastic Cloud shows the version that runs.
        plan.putObject("elasticsearch").put("version", deployment.runningVersion());
        ObjectNode tier = plan.putArray("cluster_topology").addObject();
        tier.put("id", "hot_content");
        tier.put("zone_count", 1);
        tier.putArray("node_roles").add("master").add("data_hot").add("data_content").add("ingest")
                .add("remote_cluster_client");
        ObjectNode size = tier.putObject("size");
        size.put("resource", "memory");
        size.put("value", 1024);
        return info;
    }

    /** {@code ElasticsearchClusterTrustSettings}: {@code external} is always empty (no trust relationships). */
    public ObjectNode trust(TrustSettings settings) {
        ObjectNode root = mapper.createObjectNode();
        ArrayNode accounts = root.putArray("accounts");
        for (AccountTrust account : settings.accounts()) {
            ObjectNode item = accounts.addObject();
            item.put("account_id", account.accountId());
            account.name().ifPresent(name -> item.put("name", name));
            item.put("trust_all", account.trustAll());
            account.trustAllowlist().forEach(item.putArray("trust_allowlist")::add);
        }
        root.putArray("external");
        ArrayNode direct = root.putArray("direct");
        for (DirectTrust entry : settings.direct()) {
            ObjectNode item = direct.addObject();
            item.put("uid", entry.uid());
            item.put("name", entry.name());
            item.put("type", entry.type());
            entry.scopeId().ifPresent(scope -> item.put("scope_id", scope));
            item.put("trust_all", entry.trustAll());
            entry.trustAllowlist().forEach(item.putArray("trust_allowlist")::add);
            if (!entry.additionalNodeNames().isEmpty()) {
                entry.additionalNodeNames().forEach(item.putArray("additional_node_names")::add);
            }
            ArrayNode certificates = item.putArray("certificates");
            for (String pem : entry.certificatePems()) {
                ObjectNode certificate = certificates.addObject();
                certificate.put("pem", pem);
                try {
                    CertificateAuthority.parseCertificates(pem).stream().findFirst()
                            .ifPresent(parsed -> certificate.set("metadata", certificateMetadata(parsed)));
                } catch (java.io.IOException e) {
                    throw new IllegalStateException("a validated certificate no longer parses", e);
                }
            }
        }
        return root;
    }

    /** {@code CertificateAuthority}: the deployment's CA and the restriction that matches its nodes only. */
    public ObjectNode certificateAuthority(SimDeployment deployment) {
        X509Certificate ca = trust.caCertificate(deployment);
        ObjectNode root = mapper.createObjectNode();
        ObjectNode certificate = root.putArray("public_certificates").addObject();
        certificate.put("pem", CertificateAuthority.toPem(ca));
        certificate.put("active", true);
        certificate.set("metadata", certificateMetadata(ca));
        root.put("recommended_trust_restriction", deployment.recommendedTrustRestriction());
        return root;
    }

    private ObjectNode certificateMetadata(X509Certificate certificate) {
        ObjectNode metadata = mapper.createObjectNode();
        metadata.put("fingerprint", TrustService.fingerprint(certificate));
        metadata.put("valid_from", certificate.getNotBefore().toInstant().toString());
        metadata.put("valid_to", certificate.getNotAfter().toInstant().toString());
        return metadata;
    }

    /**
     * {@code AccountResponse}: the caller's ECE installation account or Elastic Cloud organization, whose clusters
     * trust each other by default (every deployment's default trust is an {@code accounts} entry with {@code trust_all}).
     */
    public ObjectNode account(SimConfig.EnvironmentConfig environment) {
        ObjectNode root = mapper.createObjectNode();
        root.put("id", environment.accountId());
        root.putObject("trust").put("trust_all", true);
        return root;
    }

    /** {@code DeploymentUpdateResponse}. */
    public ObjectNode updated(SimDeployment deployment) {
        return summary(mapper.createObjectNode(), deployment);
    }

    /** {@code KeystoreContents}: names and as_file only; values are never returned. */
    public ObjectNode keystore(Map<String, Boolean> entries) {
        ObjectNode root = mapper.createObjectNode();
        ObjectNode secrets = root.putObject("secrets");
        entries.forEach((name, asFile) -> secrets.putObject(name).put("as_file", asFile));
        return root;
    }

    /** {@code EmptyResponse} / {@code DeploymentResourceCommandResponse} without warnings. */
    public ObjectNode empty() {
        return mapper.createObjectNode();
    }

    /** {@code BasicFailedReply}. */
    public ObjectNode error(String code, String message, List<String> fields) {
        ObjectNode root = mapper.createObjectNode();
        ObjectNode error = root.putArray("errors").addObject();
        error.put("code", code);
        error.put("message", message);
        if (!fields.isEmpty()) {
            ArrayNode array = error.putArray("fields");
            fields.forEach(array::add);
        }
        return root;
    }

    public String serviceUrl(SimDeployment deployment) {
        return "http://" + deployment.endpoint() + ":" + config.passthroughPort();
    }

    /** Same layout as Elastic's: {@code name:base64(host:port$es-uuid$kibana-uuid)}. */
    private String cloudId(SimDeployment deployment) {
        String payload = deployment.endpoint() + ":" + config.passthroughPort() + "$" + deployment.config().clusterId() + "$";
        return deployment.config().name() + ":"
                + Base64.getEncoder().encodeToString(payload.getBytes(StandardCharsets.UTF_8));
    }
}
