package io.crosslink.cloudsim.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.crosslink.cloudsim.config.SimConfig;
import io.crosslink.cloudsim.domain.CloudApiException;
import io.crosslink.cloudsim.domain.Fault;
import io.crosslink.cloudsim.domain.FaultSpec;
import io.crosslink.cloudsim.domain.FaultedCall;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The injected faults, in memory and in creation order. For each call the first fault (in creation order)
 * that matches it, wins its probability roll and still has applications left is applied; a fault that
 * loses its roll or is exhausted lets the next one be considered. Exhausted faults stay listed until removed.
 */
@ApplicationScoped
public class FaultInjector {
    private static final Logger LOG = Logger.getLogger(FaultInjector.class);

    private final List<Fault> faults = new CopyOnWriteArrayList<>();
    private final AtomicLong sequence = new AtomicLong();
    private final FaultSpecParser parser;
    /** java.util.Random is thread-safe; a configured seed makes the rolls of a single-threaded run repeatable. */
    private final Random random;

    public FaultInjector(FaultSpecParser parser, SimConfig config) {
        this.parser = parser;
        this.random = config.faultSeed().map(Random::new).orElseGet(Random::new);
    }

    public Fault create(JsonNode body) {
        FaultSpec spec = parser.parse(body);
        Fault fault = new Fault("fault-" + sequence.incrementAndGet(), spec);
        faults.add(fault);
        LOG.infof("fault %s added: %s on %s %s %s (deployment %s)", fault.id(), spec.action(),
                spec.target() == null ? "any target" : spec.target().wireName(),
                spec.method() == null ? "any method" : spec.method(),
                spec.path() == null ? "any path" : spec.path().pattern(),
                spec.deploymentId() == null ? "any" : spec.deploymentId());
        return fault;
    }

    public List<Fault> list() {
        return List.copyOf(faults);
    }

    public void remove(String id) {
        if (!faults.removeIf(fault -> fault.id().equals(id))) {
            throw new CloudApiException(404, "sim.fault_not_found", "There is no fault [" + id + "].");
        }
        LOG.infof("fault %s removed", id);
    }

    public void clear() {
        faults.clear();
        LOG.info("all faults cleared");
    }

    /** The fault to apply to this call, its application already counted; empty for a normal call. */
    public Optional<Fault> claim(FaultedCall call) {
        for (Fault fault : faults) {
            FaultSpec spec = fault.spec();
            if (!spec.matches(call) || fault.exhausted()) {
                continue;
            }
            if (spec.probability() < 1.0 && random.nextDouble() >= spec.probability()) {
                continue;
            }
            if (fault.claim()) {
                LOG.infof("fault %s injected: %s %s -> %s (%s, deployment %s)", fault.id(), call.method(), call.path(),
                        spec.action(), call.target().wireName(), call.deploymentId());
                return Optional.of(fault);
            }
        }
        return Optional.empty();
    }
}
