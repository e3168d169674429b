package io.crosslink.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Pins real processes and reads their CPUs back from /proc. */
class CpuPinningTest {

    @BeforeAll
    static void tasksetIsThere() {
        // util-linux is essential on Debian; elsewhere --pin says it needs taskset.
        assumeTrue(Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, "taskset"))), "taskset is not on the PATH");
    }

    @Test
    void eachGroupGoesToItsSidesCpus() throws Exception {
        Process elastic = new ProcessBuilder("sleep", "60").start();
        Process crosslink = new ProcessBuilder("sleep", "60").start();
        try {
            Map<String, Supplier<List<Long>>> groups = Map.of(
                    "elasticsearch (2 nodes)", () -> List.of(elastic.pid()),
                    "connect-service", () -> List.of(crosslink.pid()));
            // CPU 0 exists everywhere; both sides on it, so the test runs on a single-core machine too.
            assertEquals(2, CpuPinning.pin(groups, Set.of("connect-service"), new Options.Pin("0", "0")));
            assertEquals("0", allowedCpus(elastic.pid()));
            assertEquals("0", allowedCpus(crosslink.pid()));
        } finally {
            elastic.destroy();
            crosslink.destroy();
        }
    }

    @Test
    void aProcessThatIsGoneIsNotCounted() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        assertFalse(CpuPinning.pin(gone.pid(), "0"));
    }

    private static String allowedCpus(long pid) throws Exception {
        return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                .filter(line -> line.startsWith("Cpus_allowed_list:"))
                .map(line -> line.substring(line.indexOf(':') + 1).trim())
                .findFirst().orElseThrow();
    }
}
