package io.crosslink.cloudsim.service;

import io.crosslink.cloudsim.config.SimConfig;
import io.crosslink.cloudsim.domain.SimDeployment;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import org.jboss.logging.Logger;

/** Creates each deployment's seed index (a few documents) once, so a new connection has something to find. */
@ApplicationScoped
public class DemoData {
    private static final Logger LOG = Logger.getLogger(DemoData.class);
    private static final String[] MESSAGES = {"hello from the remote deployment", "cross-cluster search works",
        "crosslink connected these clusters", "a fourth document", "the last demo document"};

    private final SimConfig config;
    private final DeploymentRegistry registry;
    private final ElasticsearchHttp http;

    public DemoData(SimConfig config, DeploymentRegistry registry, ElasticsearchHttp http) {
        this.config = config;
        this.registry = registry;
        this.http = http;
    }

    void onStart(@Observes @Priority(150) StartupEvent event) {
        if (!config.startNodes()) {
            return;
        }
        for (SimDeployment deployment : registry.all()) {
            deployment.config().seedIndex().ifPresent(index -> seed(deployment, index));
        }
    }

    private void seed(SimDeployment deployment, String index) {
        if (http.send(deployment.node(), "HEAD", "/" + index, null).status() == 200) {
            return;
        }
        http.send(deployment.node(), "PUT", "/" + index,
                bytes("{\"settings\":{\"number_of_shards\":1,\"number_of_replicas\":0}}"));
        StringBuilder bulk = new StringBuilder();
        for (int i = 0; i < MESSAGES.length; i++) {
            bulk.append("{\"index\":{\"_id\":\"").append(i + 1).append("\"}}\n");
            bulk.append("{\"message\":\"").append(MESSAGES[i]).append("\",\"deployment\":\"")
                    .append(deployment.config().name()).append("\",\"n\":").append(i + 1).append("}\n");
        }
        ElasticsearchHttp.Response response = http.send(deployment.node(), "POST", "/" + index + "/_bulk?refresh=true",
                bytes(bulk.toString()));
        LOG.infof("seeded %s/%s with %d documents (status %d)", deployment.config().name(), index, MESSAGES.length,
                response.status());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
