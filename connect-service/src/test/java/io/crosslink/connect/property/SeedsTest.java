package io.crosslink.connect.property;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.crosslink.connect.property.HostileRequests.Body;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.sessions.JqwikSession;
import org.junit.jupiter.api.Test;

/** What the REST and Kafka tests rely on to reproduce a failure: a seed generates the same bodies again. */
class SeedsTest {

    @Test
    void aSeedGeneratesTheSameBodies() {
        assertEquals(sample("42"), sample("42"));
        assertNotEquals(sample("42"), sample("43"));
    }

    private static List<String> sample(String seed) {
        List<String> texts = new ArrayList<>();
        JqwikSession.run(seed, () -> HostileRequests.bodies().sampleStream().limit(50).map(Body::text)
                .forEach(texts::add));
        return texts;
    }
}
