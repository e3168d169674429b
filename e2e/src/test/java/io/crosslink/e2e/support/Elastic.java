package io.crosslink.e2e.support;

import com.fasterxml.jackson.databind.JsonNode;
import io.crosslink.deploy.ServiceWiring;
import io.crosslink.deploy.SimDeployment;

/**
 * What is really on the deployments, read the way an operator would: Elasticsearch through each deployment's
 * service_url as its superuser, and the Cloud API of cloud-sim with the environment's API key.
 */
public final class Elastic {
    private final E2eStack stack;

    public Elastic(E2eStack stack) {
        this.stack = stack;
    }

    /** A call to a deployment's Elasticsearch as its superuser. */
    public Http.Response elasticsearch(String deploymentId, String method, String path) {
        SimDeployment deployment = stack.deployment(deploymentId);
        return Http.send(method, deployment.serviceUrl() + path, null,
                "Authorization", Http.basic(deployment.username(), deployment.password()));
    }

    /** {@code GET _security/api_key?name=...&active_only=true} on the deployment: {@code api_keys}. */
    public JsonNode activeApiKeys(String deploymentId, String name) {
        return ok(elasticsearch(deploymentId, "GET", "/_security/api_key?active_only=true&name=" + name)).path("api_keys");
    }

    /** {@code GET _remote/info} of the deployment. */
    public JsonNode remoteInfo(String deploymentId) {
        return ok(elasticsearch(deploymentId, "GET", "/_remote/info"));
    }

    /** The Cloud API keystore of the deployment's Elasticsearch resource: {@code {"secrets":{name:{as_file}}}}. */
    public JsonNode keystore(String deploymentId) {
        SimDeployment deployment = stack.deployment(deploymentId);
        return ok(Http.get(stack.cloudApiUrl() + "/api/v1/deployments/" + deploymentId + "/elasticsearch/"
                + deployment.refId() + "/keystore",
                "Authorization", "ApiKey " + ServiceWiring.DEV_API_KEYS.get(deployment.environment())));
    }

    static JsonNode ok(Http.Response response) {
        if (response.status() != 200) {
            throw new AssertionError("unexpected answer: " + response);
        }
        return response.json();
    }
}
