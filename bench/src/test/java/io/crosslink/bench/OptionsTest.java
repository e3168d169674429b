package io.crosslink.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crosslink.deploy.KafkaGroupProtocol;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class OptionsTest {
    private static final Path ROOT = Path.of("/checkout");

    @Test
    void oneInstanceOfTheClassicProtocolByDefault() {
        Options options = Options.parse(new String[0], ROOT);
        assertEquals(1, options.replicas());
        assertEquals(KafkaGroupProtocol.CLASSIC_COOPERATIVE_STICKY, options.groupProtocol());
        assertEquals(1, options.asMap().get("replicas"));
        assertEquals("classic", options.asMap().get("groupProtocol"));
        assertTrue(options.followStream());
        assertEquals("stream", options.asMap().get("follow"));
    }

    @Test
    void tenWarmUpConnectionsPerSideUnlessTold() {
        assertEquals(10, Options.parse(new String[0], ROOT).warmup());
        assertEquals(10, Options.parse(new String[0], ROOT).asMap().get("warmup"));
        assertEquals(0, Options.parse(new String[] {"--warmup", "0"}, ROOT).warmup());
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> Options.parse(new String[] {"--warmup", "-1"}, ROOT));
        assertTrue(refused.getMessage().contains("--warmup"), refused.getMessage());
    }

    @Test
    void theClientFollowsByStreamOrByPolling() {
        assertFalse(Options.parse(new String[] {"--follow", "poll"}, ROOT).followStream());
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> Options.parse(new String[] {"--follow", "push"}, ROOT));
        assertTrue(refused.getMessage().contains("--follow"), refused.getMessage());
    }

    @Test
    void replicasAndTheConsumerProtocol() {
        Options options = Options.parse(new String[] {"--replicas", "2", "--group-protocol", "consumer", "-n", "10"}, ROOT);
        assertEquals(2, options.replicas());
        assertEquals(KafkaGroupProtocol.CONSUMER, options.groupProtocol());
        assertEquals(10, options.connections());
    }

    @Test
    void replicasNeedTheStackTheHarnessStarts() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> Options.parse(new String[] {"--replicas", "2", "--use-running"}, ROOT));
        assertTrue(refused.getMessage().contains("--use-running"), refused.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Options.parse(new String[] {"--replicas", "0"}, ROOT));
        assertThrows(IllegalArgumentException.class, () -> Options.parse(new String[] {"--group-protocol", "eager"}, ROOT));
    }

    @Test
    void eachSideIsPinnedToTheCpusNamed() {
        assertEquals("none", Options.parse(new String[0], ROOT).asMap().get("pin"));
        Options options = Options.parse(new String[] {"--pin", "0-1,4:2-3"}, ROOT);
        assertEquals("0-1,4", options.pin().elasticCpus());
        assertEquals("2-3", options.pin().crosslinkCpus());
        assertEquals("elastic 0-1,4, crosslink 2-3", options.asMap().get("pin"));
        for (String bad : new String[] {"0", "0:", ":1", "0:1:2", "a:b", "0;1"}) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> Options.parse(new String[] {"--pin", bad}, ROOT), bad);
            assertTrue(refused.getMessage().contains("--pin"), refused.getMessage());
        }
    }
}
