package io.crosslink.connect.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crosslink.connect.client.ConfiguredCloudApi;
import io.crosslink.elastic.ElasticAnswer;
import io.crosslink.elastic.ElasticCallException;
import io.crosslink.elastic.TransientElasticCallException;
import io.crosslink.runtime.lock.NamedLock;
import io.crosslink.connect.config.ConnectConfig;
import io.crosslink.connect.domain.RemoteClusterList;
import io.crosslink.events.DeploymentInfo;
import io.crosslink.events.EventCodec;
import io.crosslink.events.StepFailure;
import io.crosslink.elastic.ElasticErrors;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.Optional;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Registers and removes a certificate-model remote through ECE's remote-clusters API of L
 * ({@code GET}/{@code PUT /api/v1/deployments/{L}/elasticsearch/{ref_id}/remote-clusters}). The PUT replaces the whole
 * list, so each change is read, modify ({@link RemoteClusterList}: every entry it did not add stays as read), write,
 * and then read again: the change counts only once the list shows it, else it is tried again (someone else may
 * have written the list in between).
 *
 * <p>Changes to one L are serialised by a lock per L deployment id that every connect-service instance shares (a
 * PostgreSQL advisory lock, saga-runtime's {@link NamedLock}): connections to the same L all survive only if no two
 * read-modify-writes interleave, and the work mechanism may run two items on one L at once
 * ({@code crosslink.work.per-deployment}), on any instance. A lock held past {@code crosslink.lock.wait} postpones the
 * work (transient {@code remote_clusters_busy}): the item parks instead of a worker waiting.
 */
@ApplicationScoped
public class EceRemoteClusters {
    private static final Logger LOG = Logger.getLogger(EceRemoteClusters.class);
    /** Read-modify-write rounds before the work is postponed (the worker's backoff takes over). */
    static final int ROUNDS = 3;

    private final ConfiguredCloudApi cloud;
    private final NamedLock lock;

    public EceRemoteClusters(ConfiguredCloudApi cloud, NamedLock lock) {
        this.cloud = cloud;
        this.lock = lock;
    }

    /** GET and PUT of one deployment's list: the Cloud API, or a stand-in in tests. */
    public interface ListHolder {
        ElasticAnswer read();

        ElasticAnswer write(String remoteResourcesJson);
    }

    /** What a change did: {@code failure} when Elastic refused it (permanent); {@code aliasHeldByAnother} on removal. */
    public record Outcome(StepFailure failure, boolean changed, boolean aliasHeldByAnother) {
        public boolean ok() {
            return failure == null;
        }

        static Outcome failed(StepFailure failure) {
            return new Outcome(failure, false, false);
        }
    }

    /** Adds R under {@code alias} to L's list. */
    public Outcome register(ConnectConfig.Environment environment, DeploymentInfo local, DeploymentInfo remote,
            String alias, boolean skipUnavailable) {
        return add(local.deploymentId(), holder(environment, local),
                RemoteClusterList.entry(remote.deploymentId(), remote.refId(), alias, skipUnavailable),
                environment.apiKey());
    }

    /** Removes R's entry under {@code alias} from L's list; every other entry stays. */
    public Outcome unregister(ConnectConfig.Environment environment, DeploymentInfo local, DeploymentInfo remote,
            String alias) {
        return remove(local.deploymentId(), holder(environment, local), alias, remote.deploymentId(),
                environment.apiKey());
    }

    /**
     * Whether L's list shows R's entry under {@code alias}: empty when the list cannot be read (the undo then reports a
     * possible leftover, never a confirmed one).
     */
    public Optional<Boolean> lists(ConnectConfig.Environment environment, DeploymentInfo local, DeploymentInfo remote,
            String alias) {
        try {
            Read current = read(holder(environment, local), environment.apiKey());
            return current.failure() != null ? Optional.empty()
                    : Optional.of(RemoteClusterList.lists(current.list(), alias, remote.deploymentId()));
        } catch (ElasticCallException e) {
            return Optional.empty();
        }
    }

    /** Adds the entry under L's lock; throws {@link TransientElasticCallException} when it does not stick. */
    Outcome add(String localDeploymentId, ListHolder holder, ObjectNode entry, String... secrets) {
        String alias = entry.path("alias").asText();
        String deploymentId = entry.path("deployment_id").asText();
        return underLock(localDeploymentId, () -> addHeld(localDeploymentId, holder, entry, alias, deploymentId,
                secrets));
    }

    private Outcome addHeld(String localDeploymentId, ListHolder holder, ObjectNode entry, String alias,
            String deploymentId, String... secrets) {
        for (int round = 1; round <= ROUNDS; round++) {
            Read current = read(holder, secrets);
            if (current.failure() != null) {
                return Outcome.failed(current.failure());
            }
            Optional<String> other = RemoteClusterList.takenByAnother(current.list(), alias, deploymentId);
            if (other.isPresent()) {
                return Outcome.failed(new StepFailure("alias_in_use", "the ECE remote-clusters list of deployment "
                        + localDeploymentId + " already has alias [" + alias + "] for deployment " + other.get(),
                        null, false));
            }
            if (RemoteClusterList.find(current.list(), alias).filter(e -> e.equals(withInfo(e, entry))).isPresent()) {
                return new Outcome(null, false, false);
            }
            ElasticAnswer written = holder.write(EventCodec.encode(RemoteClusterList.withEntry(current.list(), entry)));
            if (!written.ok()) {
                return Outcome.failed(ElasticErrors.fromResponse(written.status(), written.body(), secrets));
            }
            Read after = read(holder, secrets);
            if (after.failure() != null) {
                return Outcome.failed(after.failure());
            }
            if (RemoteClusterList.lists(after.list(), alias, deploymentId)) {
                return new Outcome(null, true, false);
            }
            LOG.warnf("alias %s is not in the remote-clusters list of %s after writing it (round %d): writing again",
                    alias, localDeploymentId, round);
        }
        throw new TransientElasticCallException(new StepFailure("remote_cluster_not_listed", "alias [" + alias
                + "] did not stay in the remote-clusters list of deployment " + localDeploymentId + " after " + ROUNDS
                + " writes (another writer replaced the list)", null, true));
    }

    /** Removes the entry under L's lock; throws {@link TransientElasticCallException} when it does not go. */
    Outcome remove(String localDeploymentId, ListHolder holder, String alias, String deploymentId, String... secrets) {
        return underLock(localDeploymentId, () -> removeHeld(localDeploymentId, holder, alias, deploymentId, secrets));
    }

    private Outcome removeHeld(String localDeploymentId, ListHolder holder, String alias, String deploymentId,
            String... secrets) {
        boolean changed = false;
        // Each round reads (the last one only to check the last write) and writes when the entry is still there.
        for (int round = 1; round <= ROUNDS + 1; round++) {
            Read current = read(holder, secrets);
            if (current.failure() != null) {
                return Outcome.failed(current.failure());
            }
            if (!RemoteClusterList.lists(current.list(), alias, deploymentId)) {
                return new Outcome(null, changed, RemoteClusterList.find(current.list(), alias).isPresent());
            }
            if (round > ROUNDS) {
                break;
            }
            ElasticAnswer written = holder.write(EventCodec.encode(
                    RemoteClusterList.withoutEntry(current.list(), alias, deploymentId)));
            if (!written.ok()) {
                return Outcome.failed(ElasticErrors.fromResponse(written.status(), written.body(), secrets));
            }
            changed = true;
        }
        throw new TransientElasticCallException(new StepFailure("remote_cluster_still_listed", "alias [" + alias
                + "] stayed in the remote-clusters list of deployment " + localDeploymentId + " after " + ROUNDS
                + " writes", null, true));
    }

    /** Runs a change under L's lock; a lock held elsewhere for too long postpones the work. */
    private Outcome underLock(String localDeploymentId, Supplier<Outcome> change) {
        try {
            return lock.holding("ece-remote-clusters:" + localDeploymentId, change);
        } catch (NamedLock.Busy e) {
            throw new TransientElasticCallException(new StepFailure("remote_clusters_busy", "the remote-clusters list "
                    + "of deployment " + localDeploymentId + " is being changed by another worker or instance", null,
                    true));
        }
    }

    /** The listed entry equals ours once its read-only {@code info} is set aside. */
    private static ObjectNode withInfo(JsonNode listed, ObjectNode entry) {
        ObjectNode expected = entry.deepCopy();
        if (listed.has("info")) {
            expected.set("info", listed.get("info"));
        }
        return expected;
    }

    private record Read(JsonNode list, StepFailure failure) {
    }

    private static Read read(ListHolder holder, String... secrets) {
        ElasticAnswer answer = holder.read();
        if (!answer.ok()) {
            return new Read(null, ElasticErrors.fromResponse(answer.status(), answer.body(), secrets));
        }
        try {
            JsonNode list = EventCodec.mapper().readTree(answer.body());
            if (list != null && list.path(RemoteClusterList.RESOURCES).isArray()) {
                return new Read(list, null);
            }
        } catch (IOException e) {
            // reported below
        }
        return new Read(null, new StepFailure("invalid_response", "the remote-clusters list is not a RemoteResources "
                + "object", answer.status(), false));
    }

    private ListHolder holder(ConnectConfig.Environment environment, DeploymentInfo local) {
        return new ListHolder() {
            @Override
            public ElasticAnswer read() {
                return cloud.remoteClusters(environment, local.deploymentId(), local.refId());
            }

            @Override
            public ElasticAnswer write(String remoteResourcesJson) {
                return cloud.putRemoteClusters(environment, local.deploymentId(), local.refId(), remoteResourcesJson);
            }
        };
    }
}
