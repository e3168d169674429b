package io.crosslink.infra;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1InputStream;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * A small certificate authority for the transport TLS of real Elasticsearch nodes: an RSA 2048 self-signed CA
 * (10 years) that issues node certificates carrying the names Elasticsearch's trust restrictions match — the
 * {@code otherName} commonName SAN (OID 2.5.4.3, UTF8String, the form {@code elasticsearch-certutil}'s
 * {@code cn:} produces) — plus DNS and IP SANs. Everything is written as PEM (keys as unencrypted PKCS#8).
 */
public final class CertificateAuthority {
    /** OID of the X.500 commonName attribute, used as the type-id of the otherName SAN. */
    public static final String COMMON_NAME_OID = "2.5.4.3";

    private static final Duration CA_VALIDITY = Duration.ofDays(3650);
    private static final Duration NODE_VALIDITY = Duration.ofDays(3 * 365);
    private static final String SIGNATURE_ALGORITHM = "SHA256withRSA";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final X509Certificate certificate;
    private final PrivateKey privateKey;

    private CertificateAuthority(X509Certificate certificate, PrivateKey privateKey) {
        this.certificate = certificate;
        this.privateKey = privateKey;
    }

    /** A certificate with its private key. */
    public record Issued(X509Certificate certificate, PrivateKey privateKey) {
        /** Writes the certificate (PEM) and the key (PKCS#8 PEM, owner-only permissions). */
        public void write(Path certificatePem, Path privateKeyPem) throws IOException {
            writeString(certificatePem, toPem(certificate), false);
            writeString(privateKeyPem, toPem(privateKey), true);
        }
    }

    /** Creates a new CA: RSA 2048, self-signed, valid 10 years, subject {@code CN=<commonName>}. */
    public static CertificateAuthority create(String commonName) {
        KeyPair keys = newKeyPair();
        X500Principal subject = new X500Principal("CN=" + escapeRdn(commonName));
        Instant now = Instant.now();
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(CA_VALIDITY)), subject, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(keys.getPublic()));
            return new CertificateAuthority(sign(builder, keys.getPrivate()), keys.getPrivate());
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot create CA " + commonName, e);
        }
    }

    /** Loads a CA written by {@link #write}. */
    public static CertificateAuthority load(Path certificatePem, Path privateKeyPem) throws IOException {
        List<X509Certificate> certificates = readCertificates(certificatePem);
        if (certificates.isEmpty()) {
            throw new IOException("no certificate in " + certificatePem);
        }
        return new CertificateAuthority(certificates.get(0), readPrivateKey(privateKeyPem));
    }

    /** Loads the CA from the two files when both exist, else creates one and writes it there. */
    public static CertificateAuthority loadOrCreate(Path certificatePem, Path privateKeyPem, String commonName) throws IOException {
        if (Files.isRegularFile(certificatePem) && Files.isRegularFile(privateKeyPem)) {
            return load(certificatePem, privateKeyPem);
        }
        CertificateAuthority ca = create(commonName);
        ca.write(certificatePem, privateKeyPem);
        return ca;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** Writes the CA certificate (PEM) and its private key (PKCS#8 PEM, owner-only permissions). */
    public void write(Path certificatePem, Path privateKeyPem) throws IOException {
        writeString(certificatePem, toPem(certificate), false);
        writeString(privateKeyPem, toPem(privateKey), true);
    }

    /**
     * Issues a certificate for a node (server and client authentication): subject {@code CN=<commonName>}, SANs
     * otherName commonName = commonName, the given DNS names and IP addresses; valid 3 years (never past the CA).
     */
    public Issued issueNodeCertificate(String commonName, Collection<String> dnsNames, Collection<String> ipAddresses) {
        KeyPair keys = newKeyPair();
        Instant now = Instant.now();
        Instant notAfter = now.plus(NODE_VALIDITY);
        if (notAfter.isAfter(certificate.getNotAfter().toInstant())) {
            notAfter = certificate.getNotAfter().toInstant();
        }
        List<GeneralName> names = new ArrayList<>();
        names.add(otherNameCommonName(commonName));
        dnsNames.forEach(dns -> names.add(new GeneralName(GeneralName.dNSName, dns)));
        ipAddresses.forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate, serial(),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(notAfter),
                    new X500Principal("CN=" + escapeRdn(commonName)), keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
                    .addExtension(Extension.extendedKeyUsage, false,
                            new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
                    .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(keys.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(certificate))
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
            return new Issued(sign(builder, privateKey), keys.getPrivate());
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot issue a certificate for " + commonName, e);
        }
    }

    /** The values of the otherName SANs of type commonName (2.5.4.3) of a certificate. */
    public static List<String> otherNameCommonNames(X509Certificate certificate) {
        List<String> result = new ArrayList<>();
        Collection<List<?>> sans;
        try {
            sans = certificate.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            throw new IllegalArgumentException("cannot read the SANs of " + certificate.getSubjectX500Principal(), e);
        }
        if (sans == null) {
            return result;
        }
        for (List<?> san : sans) {
            if (((Integer) san.get(0)) != GeneralName.otherName || !(san.get(1) instanceof byte[] der)) {
                continue;
            }
            try (ASN1InputStream in = new ASN1InputStream(der)) {
                ASN1Primitive primitive = in.readObject();
                ASN1Sequence sequence = primitive instanceof ASN1TaggedObject tagged
                        ? ASN1Sequence.getInstance(tagged, false) : ASN1Sequence.getInstance(primitive);
                ASN1ObjectIdentifier type = ASN1ObjectIdentifier.getInstance(sequence.getObjectAt(0));
                if (!COMMON_NAME_OID.equals(type.getId())) {
                    continue;
                }
                ASN1Encodable value = sequence.getObjectAt(1);
                while (value instanceof ASN1TaggedObject tagged) {
                    value = tagged.getExplicitBaseObject();
                }
                if (value instanceof ASN1String string) {
                    result.add(string.getString());
                }
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException("malformed otherName SAN in " + certificate.getSubjectX500Principal(), e);
            }
        }
        return result;
    }

    /** PEM of one or more certificates. */
    public static String toPem(X509Certificate... certificates) {
        StringWriter out = new StringWriter();
        try (PemWriter pem = new PemWriter(out)) {
            for (X509Certificate certificate : certificates) {
                pem.writeObject(new PemObject("CERTIFICATE", certificate.getEncoded()));
            }
        } catch (IOException | java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException("cannot encode a certificate", e);
        }
        return out.toString();
    }

    /** PEM ({@code PRIVATE KEY}, PKCS#8) of a private key. */
    public static String toPem(PrivateKey key) {
        StringWriter out = new StringWriter();
        try (PemWriter pem = new PemWriter(out)) {
            pem.writeObject(new PemObject("PRIVATE KEY", key.getEncoded()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** All certificates of a PEM file (a bundle may hold several). */
    public static List<X509Certificate> readCertificates(Path pem) throws IOException {
        return parseCertificates(Files.readString(pem, StandardCharsets.US_ASCII));
    }

    /** All certificates of PEM text. */
    public static List<X509Certificate> parseCertificates(String pemText) throws IOException {
        List<X509Certificate> result = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (PEMParser parser = new PEMParser(new StringReader(pemText))) {
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                if (object instanceof X509CertificateHolder holder) {
                    result.add(converter.getCertificate(holder));
                }
            }
        } catch (CertificateException e) {
            throw new IOException("malformed certificate", e);
        }
        return result;
    }

    private static PrivateKey readPrivateKey(Path pem) throws IOException {
        try (PEMParser parser = new PEMParser(Files.newBufferedReader(pem, StandardCharsets.US_ASCII))) {
            Object object = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (object instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
            if (object instanceof org.bouncycastle.asn1.pkcs.PrivateKeyInfo info) {
                return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
            }
            throw new IOException("no unencrypted private key in " + pem);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the private key in " + pem, e);
        }
    }

    private static GeneralName otherNameCommonName(String commonName) {
        // OtherName ::= SEQUENCE { type-id OBJECT IDENTIFIER, value [0] EXPLICIT ANY }
        return new GeneralName(GeneralName.otherName, new DERSequence(new ASN1Encodable[] {
            new ASN1ObjectIdentifier(COMMON_NAME_OID), new DERTaggedObject(true, 0, new DERUTF8String(commonName))}));
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signingKey) throws CertificateException {
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(signingKey)));
        } catch (OperatorCreationException e) {
            throw new CertificateException("cannot sign", e);
        }
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048, RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA is not available", e);
        }
    }

    private static BigInteger serial() {
        return new BigInteger(127, RANDOM).add(BigInteger.ONE);
    }

    private static String escapeRdn(String value) {
        return javax.naming.ldap.Rdn.escapeValue(value);
    }

    /** Writes atomically (temp file + move) so a watching Elasticsearch never reads half a file. */
    static void writeString(Path file, String content, boolean ownerOnly) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temp = Files.createTempFile(parent, "." + file.getFileName(), ".tmp");
        try {
            if (ownerOnly) {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
            } else {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
            }
            Files.writeString(temp, content, StandardCharsets.US_ASCII);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
