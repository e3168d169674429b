package io.crosslink.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crosslink.bench.Invariants.Check;
import io.crosslink.bench.Invariants.Outcome;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InvariantsTest {
    private static final Outcome VERIFIED = new Outcome("a", "id-a", "VERIFIED");
    private static final Outcome COMPENSATED = new Outcome("b", "id-b", "COMPENSATED");

    @Test
    void aVerifiedAndACompensatedConnectionWithTheRightStateKeepEveryInvariant() {
        ElasticSnapshot state = new ElasticSnapshot(List.of("crosslink-id-a", "crosslink-other"),
                Set.of("cluster.remote.a.credentials"), Set.of("a"), Map.of("a", true));
        List<Check> checks = Invariants.evaluate(List.of(VERIFIED, COMPENSATED), state);
        assertTrue(Invariants.allOk(checks), checks.toString());
        assertEquals(6, checks.size());
    }

    @Test
    void aVerifiedConnectionNeedsItsKeyItsEntryAndAConnectedRemote() {
        ElasticSnapshot state = new ElasticSnapshot(List.of(), Set.of(), Set.of("a"), Map.of("a", false));
        List<Check> checks = Invariants.evaluate(List.of(VERIFIED), state);
        assertEquals(List.of("VERIFIED: one active key on R", "VERIFIED: keystore entry and connected remote on L"), failed(checks));
    }

    @Test
    void anEndedConnectionMayLeaveNothing() {
        ElasticSnapshot state = new ElasticSnapshot(List.of("crosslink-id-b"), Set.of("cluster.remote.b.credentials"), Set.of(),
                Map.of("b", false));
        List<Check> checks = Invariants.evaluate(List.of(COMPENSATED), state);
        assertEquals(List.of("ended: no key, keystore entry or remote left"), failed(checks));
        assertTrue(checks.get(4).violations().get(0).contains("1 active key(s), keystore entry, remote cluster"),
                checks.get(4).violations().toString());
    }

    @Test
    void duplicateKeysLostRequestsAndUnfinishedOnesAreViolations() {
        ElasticSnapshot state = new ElasticSnapshot(List.of("crosslink-id-a", "crosslink-id-a"),
                Set.of("cluster.remote.a.credentials"), Set.of("a"), Map.of("a", true));
        List<Check> checks = Invariants.evaluate(List.of(VERIFIED, new Outcome("c", null, null),
                new Outcome("d", "id-d", "KEY_CREATED")), state);
        assertEquals(List.of("no request lost", "every request terminal", "VERIFIED: one active key on R", "no duplicate keys"),
                failed(checks));
        assertFalse(Invariants.allOk(checks));
    }

    @Test
    void wavesCombinePerInvariant() {
        ElasticSnapshot bad = new ElasticSnapshot(List.of(), Set.of(), Set.of(), Map.of());
        List<Check> wave1 = Invariants.evaluate(List.of(VERIFIED), bad);
        List<Check> wave2 = Invariants.evaluate(List.of(COMPENSATED), bad);
        List<Check> combined = Bench.combine(List.of(asWave(wave1), asWave(wave2)));
        assertEquals(6, combined.size());
        assertEquals(List.of("VERIFIED: one active key on R", "VERIFIED: keystore entry and connected remote on L"),
                failed(combined));
    }

    private static Check asWave(List<Check> checks) {
        return new Check("wave", Invariants.allOk(checks), checks.stream()
                .flatMap(c -> c.violations().stream().map(v -> c.name() + "\u0000" + v)).toList());
    }

    private static List<String> failed(List<Check> checks) {
        return checks.stream().filter(c -> !c.ok()).map(Check::name).toList();
    }
}
