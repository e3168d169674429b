package io.crosslink.cloudsim.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crosslink.cloudsim.config.SimConfig;
import io.crosslink.cloudsim.config.SimConfig.EnvironmentKind;
import io.crosslink.cloudsim.domain.SimDeployment;
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

    public CloudDocuments(ObjectMapper mapper, SimConfig config) {
        this.mapper = mapper;
        this.config = config;
    }

    /** {@code DeploymentsListResponse}. */
    public ObjectNode listing(List<SimDeployment> deployments) {
        ObjectNode root = mapper.createObjectNode();
        ArrayNode items = root.putArray("deployments");
        for (SimDeployment deployment : deployments) {
            ObjectNode item = items.addObject();
            item.put("id", deployment.id());
            item.put("name", deployment.config().name());
            item.put("alias", deployment.config().name());
            ObjectNode resource = item.putArray("resources").addObject();
            resource.put("ref_id", deployment.config().refId());
            resource.put("id", deployment.config().clusterId());
            resource.put("kind", "elasticsearch");
            resource.put("region", deployment.environment().region());
            resource.put("cloud_id", cloudId(deployment));
        }
        return root;
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
        if (deployment.restarting()) {
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
            info.putObject("settings").set("trust", defaultTrust(deployment));
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
        plan.putObject("elasticsearch").put("version", deployment.config().version());
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

    /** Until trust is managed (certificate model), every deployment trusts its own environment's account. */
    private ObjectNode defaultTrust(SimDeployment deployment) {
        ObjectNode trust = mapper.createObjectNode();
        ObjectNode account = trust.putArray("accounts").addObject();
        account.put("account_id", deployment.environment().accountId());
        account.put("name", "Default trust for own " + (deployment.environment().kind() == EnvironmentKind.ESS
                ? "organization" : "environment"));
        account.put("trust_all", true);
        account.putArray("trust_allowlist");
        trust.putArray("external");
        trust.putArray("direct");
        return trust;
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
