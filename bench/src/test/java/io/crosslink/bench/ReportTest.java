package io.crosslink.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportTest {
    static Report sample(List<Invariants.Check> invariants) {
        return sample(invariants, null);
    }

    static Report sample(List<Invariants.Check> invariants, Report.SlowDeployment slow) {
        Percentiles base = Percentiles.of(List.of(1000L, 2000L));
        Percentiles saga = Percentiles.of(List.of(3000L, 5000L));
        Map<String, Percentiles> steps = new LinkedHashMap<>();
        steps.put("create_key", Percentiles.of(List.of(100L)));
        Map<String, Report.Usage> usage = Map.of("key-service", new Report.Usage(180.5, 3.2, 0.1));
        return new Report(Map.of("connections", 2, "seed", 42L), new Report.Series(2, 2, 0, 3.0, 0.67, base),
                new Report.Series(2, 2, 0, 6.0, 0.33, saga), saga.over(base), Map.of(), steps, saga, Percentiles.EMPTY,
                Map.of("VERIFIED", 2L), List.of(), usage, usage, Map.of("key-service", new Report.Startup(4200L, 150.0)),
                List.of(new Report.ChaosEvent(12.5, "kafka", 800, 9000, null)), invariants, slow,
                Report.CpuPerSaga.of(Map.of("key-service", new Report.Usage(150, 4.0, 0.2)), 20, usage, 6.0, 2,
                        java.util.Set.of("key-service")), new Report.RemoteRepairs(1, 2));
    }

    @Test
    void markdownHasTheComparisonTheStepsTheResourcesAndTheInvariants() {
        String md = sample(List.of(new Invariants.Check("no request lost", true, List.of()))).toMarkdown();
        assertTrue(md.contains("| baseline (direct calls) | 2 | 2 | 0 | 3.00 | 0.67 | 1000 | 2000 | 2000 | 2000 | 1500 |"), md);
        assertTrue(md.contains("| saga (202 → VERIFIED) | 2 | 2 | 0 | 6.00 | 0.33 | 3000 | 5000 | 5000 | 5000 | 4000 |"), md);
        assertTrue(md.contains("| **ratio saga/baseline** | | | | | 0.49 | **3.00×** | **2.50×** | **2.50×** | **2.50×** | **2.67×** |"), md);
        assertTrue(md.contains("| create_key | – | – | 100 | 100 | 100 | 100 |"), md);
        assertTrue(md.contains("| key-service | 4200 | 150 | 181 | 3.20 | 181 | 3.20 | 0.10 |"), md);
        assertTrue(md.contains("| 12.5 | kafka | 800 | 9000 |  |"), md);
        assertTrue(md.contains("| no request lost | ok |"), md);
        assertTrue(md.contains("Remotes Elasticsearch lost and that were registered again: baseline 1, saga 2."), md);
    }

    @Test
    void cpuPerSagaIsTheSagaPhasesCpuLessTheIdleRateOverItsLengthPerCompletedSaga() {
        Map<String, Report.Usage> idle = Map.of("kafka", new Report.Usage(100, 2.0, 0.1), "cloud-sim", new Report.Usage(100, 0, 0));
        Map<String, Report.Usage> saga = new LinkedHashMap<>();
        saga.put("kafka", new Report.Usage(100, 5.0, 0.5));
        saga.put("cloud-sim", new Report.Usage(100, 8.0, 0.8));
        Report.CpuPerSaga cpu = Report.CpuPerSaga.of(idle, 20, saga, 10, 4, java.util.Set.of("kafka"));
        // kafka: (5.0 s − 0.1 cores × 10 s) / 4 sagas = 1000 ms; cloud-sim had no idle CPU: 8.0 s / 4 = 2000 ms, not Crosslink's.
        assertEquals(1000.0, cpu.msByGroup().get("kafka"), 1e-9);
        assertEquals(2000.0, cpu.msByGroup().get("cloud-sim"), 1e-9);
        assertEquals(1000.0, cpu.crosslinkMs(), 1e-9);
        assertTrue(sample(List.of()).toMarkdown().contains("Crosslink (services, Kafka, PostgreSQL) 1000 CPU-ms per saga"),
                sample(List.of()).toMarkdown());
    }

    @Test
    void onlyTheServicesKafkaAndPostgresqlAreCrosslinksOwn() {
        assertEquals(java.util.Set.of("key-service", "kafka", "postgresql"),
                Bench.crosslinkGroups(java.util.Set.of("key-service", "kafka", "postgresql", "elasticsearch (2 nodes)", "cloud-sim")));
    }

    @Test
    void aFailedInvariantShowsItsViolationsAndFailsTheRun() {
        Report report = sample(List.of(new Invariants.Check("no duplicate keys", false, List.of("crosslink-x: 2 active"))));
        assertTrue(report.toMarkdown().contains("| no duplicate keys | **FAILED**: crosslink-x: 2 active |"));
        assertFalse(report.invariantsOk());
    }

    @Test
    void jsonCarriesParametersFiguresAndRatios() throws Exception {
        JsonNode json = new ObjectMapper().readTree(sample(List.of()).toJson());
        assertEquals(42, json.path("parameters").path("seed").asInt());
        assertEquals(3.0, json.path("ratio").path("p50").asDouble());
        assertEquals(5000, json.path("saga").path("latency").path("max").asLong());
        assertEquals("kafka", json.path("chaos").get(0).path("target").asText());
    }

    @Test
    void aSlowDeploymentRunShowsTheOthersWithAndWithoutItTheGoalAndHowItsConnectionEnded() throws Exception {
        Report.Series without = new Report.Series(2, 2, 0, 6.0, 0.33, Percentiles.of(List.of(3000L, 5000L)));
        Report.Series with = new Report.Series(2, 2, 0, 8.0, 0.25, Percentiles.of(List.of(4200L, 6000L)));
        Report.SlowDeployment slow = new Report.SlowDeployment("bee5feed00112233445566778899aabb", 60000, without, with,
                1.4, 1.2, 1.3, false, Map.of("create_key", Percentiles.of(List.of(250L))), Map.of("VERIFIED", 2L),
                new Report.SlowConnection("bench-slow-x", "c-1", "FAILED", 250.4, 120.25, List.of("1 active key(s) on R"),
                        "COMPENSATED", List.of()));
        Report report = sample(List.of(), slow);
        String md = report.toMarkdown();
        assertTrue(md.contains("| without the slow deployment | 2 | 2 | 0 | 6.00 | 0.33 | 3000 | 5000 | 5000 | 5000 | 4000 |"), md);
        assertTrue(md.contains("| with the slow deployment | 2 | 2 | 0 | 8.00 | 0.25 | 4200 | 6000 | 6000 | 6000 | 5100 |"), md);
        assertTrue(md.contains("| **ratio with/without** | | | | | | **1.40×** | **1.20×** | | | |"), md);
        assertTrue(md.contains("Goal: p50 with/without ≤ 1.30×: **not held**."), md);
        assertTrue(md.contains("| create_key | 100 | 100 | 250 | 250 | 250 |"), md);
        assertTrue(md.contains("`bench-slow-x` (c-1): ended FAILED 250 s after its POST (120 s after the faults were removed); "
                + "on Elastic then: 1 active key(s) on R; after DELETE: COMPENSATED, on Elastic: nothing."), md);
        JsonNode json = new ObjectMapper().readTree(report.toJson());
        assertEquals(1.4, json.path("slowDeployment").path("p50Ratio").asDouble());
        assertFalse(json.path("slowDeployment").path("goalHeld").asBoolean());
        assertEquals("FAILED", json.path("slowDeployment").path("connection").path("endStatus").asText());
        assertTrue(new ObjectMapper().readTree(sample(List.of()).toJson()).path("slowDeployment").isNull());
    }
}
