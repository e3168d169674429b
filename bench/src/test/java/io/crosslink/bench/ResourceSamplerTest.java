package io.crosslink.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ResourceSamplerTest {
    @Test
    void readsVmRssFromStatus() {
        assertEquals(123456, ResourceSampler.parseStatusKb("Name:\tjava\nVmHWM:\t  200000 kB\nVmRSS:\t  123456 kB\n", "VmRSS"));
        assertEquals(0, ResourceSampler.parseStatusKb("Name:\tzombie\n", "VmRSS"));
    }

    @Test
    void readsUtimePlusStimeAfterACommandNameWithSpacesAndParentheses() {
        String stat = "4242 (java (main) x) S 1 4242 4242 0 -1 4194560 100 0 0 0 750 250 0 0 20 0 30 0 12345 0 0";
        assertEquals(1000, ResourceSampler.parseStatTicks(stat));
    }

    @Test
    void samplesThisJvm() {
        long self = ProcessHandle.current().pid();
        assertTrue(ResourceSampler.rssKb(self) > 0);
        assertTrue(ResourceSampler.cpuTicks(self) >= 0);
        assertTrue(ResourceSampler.rssMb(List.of(self)) > 1);
    }
}
