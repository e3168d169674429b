package io.crosslink.cloudsim.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sim's one internal TLS CA survives a restart: the same CA, and what it issued before still verifies. */
class InternalTlsAuthorityTest {
    @TempDir
    Path folder;

    @Test
    void aRestartReusesTheCaAndKeepsIssuedCertificatesValid() throws Exception {
        InternalTlsAuthority first = new InternalTlsAuthority(folder);
        X509Certificate issued = first.issue("local.node.c1.cluster.s1").certificate();
        assertEquals("CN=local.node.c1.cluster.s1", issued.getSubjectX500Principal().getName());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(folder.resolve("ca.key"))));

        InternalTlsAuthority afterRestart = new InternalTlsAuthority(folder);
        assertEquals(first.certificate(), afterRestart.certificate());
        issued.verify(afterRestart.certificate().getPublicKey());
        afterRestart.issue("peer.node.c2.cluster.s1").certificate().verify(first.certificate().getPublicKey());
        assertTrue(afterRestart.certificate().getBasicConstraints() >= 0, "a CA certificate");
    }
}
