package io.crosslink.cloudsim.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crosslink.cloudsim.domain.CloudApiException;
import io.crosslink.cloudsim.domain.RemoteClusterRef;
import io.crosslink.cloudsim.domain.SimDeployment;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The ECE remote-clusters API (certificate model, same environment): PUT replaces the whole list it
 * manages and writes the node's cluster settings as ECE does, in one request: each listed alias in proxy mode to the
 * remote's {@code endpoint:transport port}, each dropped alias nulled (skip_unavailable included); aliases it did not
 * write are never touched. PUTs of one deployment are serialized (its write lock): the last writer wins, as on ECE,
 * so a client adding one alias must read, add and write under its own lock.
 */
@ApplicationScoped
public class RemoteClustersService {
    private static final Pattern ALIAS = Pattern.compile("[A-Za-z0-9_-]+");

    private final DeploymentRegistry registry;
    private final ElasticsearchHttp http;
    private final ObjectMapper mapper;
    private final TrustService trust;

    public RemoteClustersService(DeploymentRegistry registry, ElasticsearchHttp http, ObjectMapper mapper,
            TrustService trust) {
        this.registry = registry;
        this.http = http;
        this.mapper = mapper;
        this.trust = trust;
    }

    /**
     * {@code RemoteResources}: the managed list with each remote's live state: {@code connected} from
     * {@code _remote/info} (no connection attempt), {@code trusted} / {@code trusted_back} from both sides' trust
     * settings as the nodes apply them.
     */
    public ObjectNode list(SimDeployment deployment) {
        JsonNode remoteInfo = http.json(deployment.node(), "GET", "/_remote/info", null);
        ObjectNode root = mapper.createObjectNode();
        ArrayNode resources = root.putArray("resources");
        for (RemoteClusterRef ref : deployment.managedRemotes()) {
            ObjectNode item = resources.addObject();
            item.put("deployment_id", ref.deploymentId());
            item.put("elasticsearch_ref_id", ref.elasticsearchRefId());
            item.put("alias", ref.alias());
            item.put("skip_unavailable", ref.skipUnavailable());
            SimDeployment target = registry.byId(ref.deploymentId());
            ObjectNode info = item.putObject("info");
            info.put("healthy", target.hasNode() && !target.restarting());
            info.put("connected", remoteInfo.path(ref.alias()).path("connected").asBoolean(false));
            // All sim deployments run one Elasticsearch version.
            info.put("compatible", true);
            info.put("trusted", trust.trusts(deployment, target));
            info.put("trusted_back", trust.trusts(target, deployment));
        }
        return root;
    }

    public void replace(String environment, SimDeployment deployment, JsonNode body) {
        List<RemoteClusterRef> wanted = parse(environment, body);
        deployment.writeLock().lock();
        try {
            Set<String> kept = new HashSet<>();
            ObjectNode remotes = mapper.createObjectNode();
            for (RemoteClusterRef ref : wanted) {
                SimDeployment target = registry.find(environment, ref.deploymentId());
                ObjectNode settings = remotes.putObject(ref.alias());
                settings.put("mode", "proxy");
                settings.put("proxy_address", target.endpoint() + ":" + target.transportPort());
                settings.put("server_name", target.endpoint());
                settings.put("skip_unavailable", ref.skipUnavailable());
                kept.add(ref.alias());
            }
            for (RemoteClusterRef dropped : deployment.managedRemotes()) {
                if (!kept.contains(dropped.alias())) {
                    ObjectNode nulls = remotes.putObject(dropped.alias());
                    for (String key : List.of("mode", "proxy_address", "server_name", "skip_unavailable", "seeds",
                            "proxy_socket_connections")) {
                        nulls.putNull(key);
                    }
                }
            }
            if (!remotes.isEmpty()) {
                ObjectNode request = mapper.createObjectNode();
                request.putObject("persistent").putObject("cluster").set("remote", remotes);
                http.json(deployment.node(), "PUT", "/_cluster/settings", request);
            }
            deployment.managedRemotes(wanted);
            deployment.touch();
        } finally {
            deployment.writeLock().unlock();
        }
    }

    private List<RemoteClusterRef> parse(String environment, JsonNode body) {
        JsonNode resources = body == null ? null : body.get("resources");
        if (resources == null || !resources.isArray()) {
            throw new CloudApiException(400, "root.invalid_json_request", "The request must contain an array [resources].",
                    List.of("resources"));
        }
        List<RemoteClusterRef> refs = new ArrayList<>();
        Set<String> aliases = new HashSet<>();
        for (int i = 0; i < resources.size(); i++) {
            JsonNode item = resources.get(i);
            String prefix = "resources[" + i + "].";
            for (String field : List.of("deployment_id", "elasticsearch_ref_id", "alias")) {
                if (!item.path(field).isTextual() || item.path(field).asText().isBlank()) {
                    throw new CloudApiException(400, "root.invalid_json_request", "Missing required field [" + field + "].",
                            List.of(prefix + field));
                }
            }
            String alias = item.get("alias").asText();
            if (!ALIAS.matcher(alias).matches()) {
                throw new CloudApiException(400, "root.invalid_json_request",
                        "Invalid alias [" + alias + "]: only letters, digits, '-' and '_' are allowed.", List.of(prefix + "alias"));
            }
            if (!aliases.add(alias)) {
                throw new CloudApiException(400, "root.invalid_json_request", "Duplicate alias [" + alias + "].",
                        List.of(prefix + "alias"));
            }
            String deploymentId = item.get("deployment_id").asText();
            String refId = item.get("elasticsearch_ref_id").asText();
            SimDeployment target;
            try {
                target = registry.findElasticsearch(environment, deploymentId, refId);
            } catch (CloudApiException notFound) {
                throw new CloudApiException(404, "deployments.deployment_remote_resource_not_found",
                        "The remote deployment [" + deploymentId + "] with resource [" + refId
                                + "] cannot be found in this environment.", List.of(prefix + "deployment_id"));
            }
            refs.add(new RemoteClusterRef(target.id(), target.config().refId(), alias,
                    item.path("skip_unavailable").asBoolean(false)));
        }
        return refs;
    }
}
