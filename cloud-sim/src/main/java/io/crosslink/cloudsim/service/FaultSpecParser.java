package io.crosslink.cloudsim.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.crosslink.cloudsim.domain.CloudApiException;
import io.crosslink.cloudsim.domain.FaultPhase;
import io.crosslink.cloudsim.domain.FaultSpec;
import io.crosslink.cloudsim.domain.FaultTarget;
import io.crosslink.cloudsim.domain.SimDeployment;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads a {@code POST /sim/faults} body strictly: unknown fields, wrong types and contradictions are
 * rejected (400 {@code sim.invalid_fault} naming the fields), so a typo never yields a silently inert fault.
 */
@ApplicationScoped
public class FaultSpecParser {
    static final long MAX_LATENCY_MS = 600_000;
    private static final Set<String> FIELDS = Set.of("deploymentId", "target", "method", "path", "phase", "status",
            "body", "retryAfterSeconds", "latencyMs", "drop", "times", "probability", "pendingSeconds");
    /** What a plan fault cannot have: it changes how long a plan shows as pending, not a call's answer. */
    private static final List<String> NOT_FOR_PLANS = List.of("method", "path", "phase", "status", "body",
            "retryAfterSeconds", "latencyMs", "drop");
    static final int MAX_PENDING_SECONDS = 86_400;
    private static final Pattern METHOD = Pattern.compile("[A-Za-z]+");

    private final DeploymentRegistry registry;

    public FaultSpecParser(DeploymentRegistry registry) {
        this.registry = registry;
    }

    public FaultSpec parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new CloudApiException(400, "sim.invalid_fault", "The fault must be a JSON object.");
        }
        Problems problems = new Problems();
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                problems.add(name, "unknown field [" + name + "]");
            }
        }
        String deploymentId = text(body, "deploymentId", problems);
        if (deploymentId != null && registry.all().stream().map(SimDeployment::id).noneMatch(deploymentId::equals)) {
            problems.add("deploymentId", "no deployment [" + deploymentId + "] in the simulator");
        }
        FaultTarget target = null;
        String targetName = text(body, "target", problems);
        if (targetName != null) {
            target = FaultTarget.fromWire(targetName).orElse(null);
            if (target == null) {
                problems.add("target", "target must be [cloud-api], [elasticsearch] or [plan]");
            }
        }
        String method = text(body, "method", problems);
        if (method != null && !METHOD.matcher(method).matches()) {
            problems.add("method", "method must be an HTTP method such as [POST]");
        }
        Pattern path = null;
        String regex = text(body, "path", problems);
        if (regex != null) {
            try {
                path = Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                problems.add("path", "path is not a valid regular expression: " + e.getDescription());
            }
        }
        FaultPhase phase = FaultPhase.BEFORE;
        String phaseName = text(body, "phase", problems);
        if (phaseName != null) {
            phase = FaultPhase.fromWire(phaseName).orElse(null);
            if (phase == null) {
                problems.add("phase", "phase must be [before] or [after]");
            }
        }
        Integer status = integer(body, "status", 200, 599, problems);
        String replacement = null;
        JsonNode bodyNode = body.get("body");
        if (bodyNode != null && !bodyNode.isNull()) {
            // A JSON object or array is taken as the document to answer with.
            replacement = bodyNode.isTextual() ? bodyNode.asText() : bodyNode.toString();
        }
        Integer retryAfter = integer(body, "retryAfterSeconds", 0, 86_400, problems);
        Integer latency = integer(body, "latencyMs", 0, (int) MAX_LATENCY_MS, problems);
        boolean drop = false;
        JsonNode dropNode = body.get("drop");
        if (dropNode != null && !dropNode.isNull()) {
            if (dropNode.isBoolean()) {
                drop = dropNode.booleanValue();
            } else {
                problems.add("drop", "drop must be true or false");
            }
        }
        Integer times = integer(body, "times", 1, Integer.MAX_VALUE, problems);
        double probability = 1.0;
        JsonNode probabilityNode = body.get("probability");
        if (probabilityNode != null && !probabilityNode.isNull()) {
            if (!probabilityNode.isNumber() || probabilityNode.doubleValue() < 0 || probabilityNode.doubleValue() > 1) {
                problems.add("probability", "probability must be a number from 0 to 1");
            } else {
                probability = probabilityNode.doubleValue();
            }
        }
        Integer pendingSeconds = integer(body, "pendingSeconds", 0, MAX_PENDING_SECONDS, problems);
        if (target == FaultTarget.PLAN) {
            for (String field : NOT_FOR_PLANS) {
                if (body.hasNonNull(field)) {
                    problems.add(field, field + " does not apply to target [plan]");
                }
            }
            if (!body.hasNonNull("pendingSeconds")) {
                problems.add("pendingSeconds", "a plan fault needs pendingSeconds");
            }
            problems.throwIfAny();
            return new FaultSpec(deploymentId, target, null, null, null, null, null, null, 0, false, times, probability,
                    pendingSeconds);
        }
        if (body.hasNonNull("pendingSeconds")) {
            problems.add("pendingSeconds", "pendingSeconds needs target [plan]");
        }
        if (drop && status != null) {
            problems.add("drop", "a fault either drops the connection or answers a status, not both");
        }
        if (status == null && (replacement != null || retryAfter != null)) {
            problems.add(replacement != null ? "body" : "retryAfterSeconds", "body and retryAfterSeconds need a status");
        }
        if (!drop && status == null && (latency == null || latency == 0)) {
            problems.add("status", "a fault needs a status, drop or latencyMs");
        }
        problems.throwIfAny();
        return new FaultSpec(deploymentId, target, method == null ? null : method.toUpperCase(Locale.ROOT), path, phase,
                status, replacement, retryAfter, latency == null ? 0 : latency, drop, times, probability, null);
    }

    private static String text(JsonNode body, String field, Problems problems) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            problems.add(field, field + " must be a string");
            return null;
        }
        return node.asText();
    }

    private static Integer integer(JsonNode body, String field, int min, int max, Problems problems) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.canConvertToInt() || !node.isIntegralNumber() || node.intValue() < min || node.intValue() > max) {
            problems.add(field, field + " must be an integer from " + min + " to " + max);
            return null;
        }
        return node.intValue();
    }

    private static final class Problems {
        private final List<String> fields = new ArrayList<>();
        private final List<String> messages = new ArrayList<>();

        void add(String field, String message) {
            fields.add(field);
            messages.add(message);
        }

        void throwIfAny() {
            if (!messages.isEmpty()) {
                throw new CloudApiException(400, "sim.invalid_fault", "Invalid fault: " + String.join("; ", messages) + ".",
                        fields);
            }
        }
    }
}
