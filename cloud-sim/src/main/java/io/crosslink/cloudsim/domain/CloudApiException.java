package io.crosslink.cloudsim.domain;

import java.util.List;

/** A failure answered in the Cloud API's {@code BasicFailedReply} shape. */
public class CloudApiException extends RuntimeException {
    private final int status;
    private final String code;
    private final List<String> fields;

    public CloudApiException(int status, String code, String message, List<String> fields) {
        super(message);
        this.status = status;
        this.code = code;
        this.fields = List.copyOf(fields);
    }

    public CloudApiException(int status, String code, String message) {
        this(status, code, message, List.of());
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public List<String> fields() {
        return fields;
    }

    public static CloudApiException deploymentNotFound(String id) {
        return new CloudApiException(404, "deployments.deployment_not_found",
                "The requested deployment [" + id + "] cannot be found.");
    }

    public static CloudApiException resourceNotFound(String id, String refId) {
        return new CloudApiException(404, "deployments.deployment_resource_not_found",
                "The requested resource [" + refId + "] of deployment [" + id + "] cannot be found.");
    }
}
