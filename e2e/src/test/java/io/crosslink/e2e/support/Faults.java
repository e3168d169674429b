package io.crosslink.e2e.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crosslink.events.EventCodec;

/**
 * cloud-sim's fault injection ({@code /sim/faults}): faults on the Cloud API and on each deployment's
 * Elasticsearch pass-through (service_url). The Elasticsearch behind stays real.
 */
public final class Faults {
    /** An Elasticsearch error body, as {@code ElasticErrors} reads it. */
    public static String elasticError(String type, String reason, int status) {
        ObjectNode body = EventCodec.mapper().createObjectNode();
        body.putObject("error").put("type", type).put("reason", reason);
        body.put("status", status);
        return body.toString();
    }

    /** A Cloud API error body. */
    public static String cloudError(String code, String message) {
        ObjectNode body = EventCodec.mapper().createObjectNode();
        body.putArray("errors").addObject().put("code", code).put("message", message);
        return body.toString();
    }

    private final String baseUrl;

    public Faults(String cloudSimUrl) {
        this.baseUrl = cloudSimUrl + "/sim/faults";
    }

    /** Installs the fault; returns its id. */
    public String add(Fault fault) {
        Http.Response response = Http.postJson(baseUrl, fault.json.toString());
        if (response.status() != 201) {
            throw new AssertionError("cloud-sim refused the fault " + fault.json + ": " + response);
        }
        return response.json().path("id").asText();
    }

    /** Every installed fault with its {@code hits} and {@code remaining}. */
    public JsonNode list() {
        return Elastic.ok(Http.get(baseUrl)).path("faults");
    }

    /** One installed fault, as {@link #list()} shows it. */
    public JsonNode get(String id) {
        for (JsonNode fault : list()) {
            if (fault.path("id").asText().equals(id)) {
                return fault;
            }
        }
        throw new AssertionError("no fault " + id + " in " + list());
    }

    public void clear() {
        Http.Response response = Http.send("DELETE", baseUrl, null);
        if (response.status() != 204) {
            throw new AssertionError("cannot clear the faults: " + response);
        }
    }

    public static Fault fault() {
        return new Fault();
    }

    /** A fault as {@code POST /sim/faults} takes it; unset fields are cloud-sim's defaults (any, before, every call). */
    public static final class Fault {
        private final ObjectNode json = EventCodec.mapper().createObjectNode();

        private Fault() {
        }

        public Fault deployment(String deploymentId) {
            json.put("deploymentId", deploymentId);
            return this;
        }

        /** {@code cloud-api} or {@code elasticsearch} (the service_url pass-through and the ECE proxy API). */
        public Fault target(String target) {
            json.put("target", target);
            return this;
        }

        public Fault method(String method) {
            json.put("method", method);
            return this;
        }

        /** A Java regular expression matching the whole request path. */
        public Fault path(String regex) {
            json.put("path", regex);
            return this;
        }

        /** Forward first (the change happens on Elastic), then fail. */
        public Fault afterForwarding() {
            json.put("phase", "after");
            return this;
        }

        public Fault status(int status, String body) {
            json.put("status", status);
            json.put("body", body);
            return this;
        }

        public Fault status(int status) {
            json.put("status", status);
            return this;
        }

        /** A {@code Retry-After} header on the fault's answer. */
        public Fault retryAfterSeconds(int seconds) {
            json.put("retryAfterSeconds", seconds);
            return this;
        }

        public Fault latencyMs(long millis) {
            json.put("latencyMs", millis);
            return this;
        }

        /** Target {@code plan}: the deployment's next trust change shows a pending plan for this long. */
        public Fault pendingSeconds(int seconds) {
            json.put("pendingSeconds", seconds);
            return this;
        }

        /** Close the connection without an answer. */
        public Fault drop() {
            json.put("drop", true);
            return this;
        }

        public Fault times(int times) {
            json.put("times", times);
            return this;
        }

        public Fault probability(double probability) {
            json.put("probability", probability);
            return this;
        }

        @Override
        public String toString() {
            return json.toString();
        }
    }
}
