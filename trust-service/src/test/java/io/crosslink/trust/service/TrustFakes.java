package io.crosslink.trust.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crosslink.events.EventCodec;
import io.crosslink.events.StepFailure;
import io.crosslink.events.TrustEdit;
import io.crosslink.elastic.ElasticCallException;
import io.crosslink.elastic.TransientElasticCallException;
import io.crosslink.trust.client.DeploymentResource;
import io.crosslink.trust.client.TrustClient;
import io.crosslink.trust.client.TrustVersionConflict;
import io.crosslink.trust.domain.CaCertificates;
import io.crosslink.trust.domain.DeploymentState;
import io.crosslink.trust.domain.TrustEditRecord;
import io.crosslink.trust.domain.TrustLink;
import io.crosslink.trust.domain.TrustStatus;
import io.crosslink.trust.repository.TrustLinks;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** In-memory stand-ins for the certificate-model step: the trust rows, a Cloud API holding trust, and time. */
final class TrustFakes {
    private TrustFakes() {
    }

    /** The trust_link and trust_edit tables. */
    static final class Links implements TrustLinks {
        final Map<String, TrustLink> rows = new HashMap<>();
        final Map<String, TrustEditRecord> edits = new LinkedHashMap<>();

        @Override
        public TrustLink lockOrCreate(String connectionId) {
            return rows.computeIfAbsent(connectionId, id -> {
                TrustLink link = new TrustLink();
                link.connectionId = id;
                link.status = TrustStatus.WAITING;
                link.createdAt = Instant.now();
                link.updatedAt = link.createdAt;
                return link;
            });
        }

        @Override
        public Optional<TrustLink> find(String connectionId) {
            return Optional.ofNullable(rows.get(connectionId));
        }

        @Override
        public List<TrustEditRecord> edits(String connectionId) {
            return edits.values().stream().filter(record -> record.connectionId.equals(connectionId)).toList();
        }

        @Override
        public TrustEditRecord recordEdit(String connectionId, TrustEdit edit) {
            TrustEditRecord record = edits.get(connectionId + "/" + edit.deploymentId());
            if (record == null) {
                record = TrustEditRecord.of(connectionId, edit);
                edits.put(connectionId + "/" + edit.deploymentId(), record);
            } else {
                record.take(edit);
            }
            return record;
        }

        @Override
        public Optional<TrustEditRecord> edit(String connectionId, String deploymentId) {
            return Optional.ofNullable(edits.get(connectionId + "/" + deploymentId));
        }

        @Override
        public List<TrustEditRecord> editsOn(String deploymentId) {
            return edits.values().stream().filter(record -> record.deploymentId.equals(deploymentId)).toList();
        }
    }

    /** One deployment as the fake Cloud API keeps it. */
    static final class Deployment {
        final String id;
        final String name;
        final List<String> caPems;
        ObjectNode trust;
        int version = 1;
        /** How many more reads show a pending plan. */
        int pendingReads;
        /** Reads show no trust settings at all (a resource the Cloud API shows none for). */
        boolean hidesTrust;

        Deployment(String id, String name, List<String> caPems, ObjectNode trust) {
            this.id = id;
            this.name = name;
            this.caPems = caPems;
            this.trust = trust;
        }
    }

    /**
     * A Cloud API over in-memory deployments: reads show trust, plan, version and (for {@link #pendingReadsAfterPut}
     * reads after each update) a pending plan; updates check the version (409) and give direct entries a uid, as
     * cloud-sim does. Scripts per deployment: {@link #beforePut} (another writer acting just before the update,
     * e.g. changing the version), {@link #putFailures} (thrown instead of applying), {@link #afterPut} (runs once the
     * update applied, e.g. throwing: an answer lost, a crash). Every call is logged in {@link #calls}.
     */
    static final class Cloud implements TrustClient {
        final Map<String, Deployment> deployments = new HashMap<>();
        final List<String> calls = new ArrayList<>();
        final Map<String, Deque<Consumer<Deployment>>> beforePut = new HashMap<>();
        final Map<String, Deque<RuntimeException>> putFailures = new HashMap<>();
        final Map<String, Deque<Runnable>> afterPut = new HashMap<>();
        final Map<String, Deque<RuntimeException>> readFailures = new HashMap<>();
        int pendingReadsAfterPut = 1;
        int uids;

        Deployment add(String id, String name, List<String> caPems, String trustJson) {
            Deployment deployment = new Deployment(id, name, caPems, (ObjectNode) json(trustJson));
            deployments.put(id, deployment);
            return deployment;
        }

        @Override
        public DeploymentState readDeployment(DeploymentResource resource) {
            calls.add("GET " + resource.deploymentId());
            RuntimeException failure = poll(readFailures, resource.deploymentId());
            if (failure != null) {
                throw failure;
            }
            Deployment deployment = deployment(resource);
            ObjectNode document = EventCodec.mapper().createObjectNode().put("id", deployment.id)
                    .put("name", deployment.name);
            ObjectNode es = document.putObject("resources").putArray("elasticsearch").addObject();
            es.put("ref_id", resource.refId()).put("region", "region-" + resource.environment());
            ObjectNode info = es.putObject("info");
            ObjectNode plans = info.putObject("plan_info");
            plans.putObject("current").putObject("plan").put("marker", "current plan of " + deployment.id)
                    .putObject("elasticsearch").put("version", "8.19.21");
            if (deployment.pendingReads > 0) {
                deployment.pendingReads--;
                plans.putObject("pending").put("plan_attempt_id", "attempt");
            } else {
                plans.putNull("pending");
            }
            if (!deployment.hidesTrust) {
                info.putObject("settings").set("trust", deployment.trust.deepCopy());
            }
            return new DeploymentState(deployment.id, resource.refId(), document,
                    Optional.of(Integer.toString(deployment.version)));
        }

        @Override
        public CaCertificates readCertificateAuthority(DeploymentResource resource) {
            calls.add("CA " + resource.deploymentId());
            return new CaCertificates(deployment(resource).caPems, "*.cluster.domain");
        }

        @Override
        public void updateTrust(DeploymentResource resource, DeploymentState read, JsonNode trust) {
            calls.add("PUT " + resource.deploymentId());
            Deployment deployment = deployment(resource);
            Consumer<Deployment> other = poll(beforePut, deployment.id);
            if (other != null) {
                other.accept(deployment);
            }
            RuntimeException failure = poll(putFailures, deployment.id);
            if (failure != null) {
                throw failure;
            }
            if (!read.version().orElseThrow().equals(Integer.toString(deployment.version))) {
                throw new TrustVersionConflict(new StepFailure("deployments.deployment_version_conflict",
                        "The deployment has version [" + deployment.version + "]", 409, false));
            }
            if (!read.currentPlan().orElseThrow().path("marker").asText().equals("current plan of " + deployment.id)) {
                throw new IllegalStateException("the update must repeat the current plan");
            }
            ObjectNode written = ((ObjectNode) trust).deepCopy();
            written.path("direct").forEach(entry -> {
                if (!entry.has("uid")) {
                    ((ObjectNode) entry).put("uid", "uid-" + (++uids));
                }
            });
            deployment.trust = written;
            deployment.version++;
            deployment.pendingReads = pendingReadsAfterPut;
            Runnable after = poll(afterPut, deployment.id);
            if (after != null) {
                after.run();
            }
        }

        long count(String call) {
            return calls.stream().filter(call::equals).count();
        }

        private Deployment deployment(DeploymentResource resource) {
            Deployment deployment = deployments.get(resource.deploymentId());
            if (deployment == null) {
                throw ElasticCallException.of(new StepFailure("deployments.deployment_not_found", "no such deployment",
                        404, false));
            }
            return deployment;
        }

        private static <T> T poll(Map<String, Deque<T>> scripts, String id) {
            Deque<T> queue = scripts.get(id);
            return queue == null ? null : queue.poll();
        }

        static <T> void script(Map<String, Deque<T>> scripts, String id, T item) {
            scripts.computeIfAbsent(id, k -> new ArrayDeque<>()).add(item);
        }
    }

    /** A clock that moves only when the step pauses: waits are exact and take no time. */
    static final class MovingClock extends Clock {
        Instant now = Instant.parse("2026-11-28T12:00:00Z");
        final List<Duration> pauses = new ArrayList<>();

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }

        void pause(Duration duration) {
            pauses.add(duration);
            now = now.plus(duration);
        }
    }

    static JsonNode json(String text) {
        try {
            return EventCodec.mapper().readTree(text.replace('\'', '"'));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
