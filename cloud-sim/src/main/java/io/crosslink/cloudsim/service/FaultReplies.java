package io.crosslink.cloudsim.service;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crosslink.cloudsim.domain.Fault;
import io.crosslink.cloudsim.domain.FaultTarget;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The answer a status fault gives: its own body, or an error in the shape the target's callers parse. */
@ApplicationScoped
public class FaultReplies {
    public static final String ERROR_CODE = "sim.fault_injected";
    public static final String ERROR_TYPE = "sim_fault_injected";

    private final ObjectMapper mapper;
    private final CloudDocuments documents;

    public FaultReplies(ObjectMapper mapper, CloudDocuments documents) {
        this.mapper = mapper;
        this.documents = documents;
    }

    /** Status, body and headers (besides Content-Type) of a fault's answer. */
    public record Reply(int status, String contentType, String body, Map<String, String> headers) {
    }

    public Reply reply(Fault fault, FaultTarget target) {
        int status = fault.spec().status();
        String body = fault.spec().body();
        Map<String, String> headers = new LinkedHashMap<>();
        if (target == FaultTarget.ELASTICSEARCH) {
            // Elasticsearch clients check the product header before they read an error.
            headers.put("X-Elastic-Product", "Elasticsearch");
        }
        if (body == null) {
            if (target == FaultTarget.CLOUD_API) {
                body = cloudError(fault);
                headers.put("x-cloud-error-codes", ERROR_CODE);
            } else {
                body = elasticsearchError(fault, status);
            }
        }
        if (fault.spec().retryAfterSeconds() != null) {
            headers.put("Retry-After", String.valueOf(fault.spec().retryAfterSeconds()));
        }
        return new Reply(status, isJson(body) ? "application/json" : "text/plain; charset=UTF-8", body, headers);
    }

    private String cloudError(Fault fault) {
        return documents.error(ERROR_CODE, message(fault), List.of()).toString();
    }

    private String elasticsearchError(Fault fault, int status) {
        ObjectNode root = mapper.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.putArray("root_cause").addObject().put("type", ERROR_TYPE).put("reason", message(fault));
        error.put("type", ERROR_TYPE);
        error.put("reason", message(fault));
        root.put("status", status);
        return root.toString();
    }

    private static String message(Fault fault) {
        return "Fault [" + fault.id() + "] injected by cloud-sim.";
    }

    private boolean isJson(String body) {
        try {
            mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(body);
            return !body.isBlank();
        } catch (IOException e) {
            return false;
        }
    }
}
