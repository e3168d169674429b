package io.crosslink.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class StrongIdentityTest {
    private static final String CLUSTER = "e5f60718293a4b5cc0ffee00a1b2c3d4";

    @Test
    void patternMatchesEveryNodeOfTheClusterInElasticCloudsDnFormat() {
        Pattern pattern = Pattern.compile(StrongIdentity.patternFor(CLUSTER));
        assertTrue(pattern.matcher("CN=instance-0000000001.node." + CLUSTER + ".cluster.1234567890").matches());
        assertTrue(pattern.matcher("CN=abc.node." + CLUSTER + ".cluster.scope-2").matches());
    }

    @Test
    void patternRefusesAnotherClusterAPrefixAndOtherFormats() {
        Pattern pattern = Pattern.compile(StrongIdentity.patternFor(CLUSTER));
        assertFalse(pattern.matcher("CN=n1.node.0b5e55ed12345678abcdef0123456789.cluster.1").matches());
        assertFalse(pattern.matcher("CN=n1.node." + CLUSTER + "x.cluster.1").matches());
        assertFalse(pattern.matcher("CN=node." + CLUSTER + ".ece.local").matches());
        assertFalse(pattern.matcher("CN=n1.node." + CLUSTER + ".cluster.1, O=other").matches());
    }

    @Test
    void clusterIdCharactersThatMeanSomethingInARegexAreEscaped() {
        Pattern pattern = Pattern.compile(StrongIdentity.patternFor("a.b"));
        assertTrue(pattern.matcher("CN=n.node.a.b.cluster.s").matches());
        assertFalse(pattern.matcher("CN=n.node.aXb.cluster.s").matches());
    }

    @Test
    void settingNamesFollowElasticsearch() {
        assertEquals("cluster.remote.eu-logs.signing.certificate", StrongIdentity.signingCertificateSetting("eu-logs"));
        assertEquals("cluster.remote.eu-logs.signing.key", StrongIdentity.signingKeySetting("eu-logs"));
    }
}
