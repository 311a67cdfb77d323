package io.steward.testkit.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import io.steward.testkit.process.ChildProcess;
import io.steward.testkit.process.ComponentLog;
import io.steward.testkit.process.RunAs;

/**
 * The TLS material of a secured {@link KafkaBroker}, in one directory: a throwaway certificate
 * authority, a broker certificate signed by it, the broker's PKCS12 keystore and a PKCS12 truststore
 * that holds only the authority.
 *
 * <p>The broker certificate names the broker's listening address as an IP subject alternative name,
 * so clients keep hostname verification on, and carries {@code CN=broker} with both server and
 * client use: the broker presents it to its own controller listener (mutual TLS), where it maps to
 * the principal {@code User:broker}. Keys are EC P-256 made by {@code openssl} (two commands, a few
 * milliseconds); the stores are written with the JDK's {@link KeyStore}, so every JDK reads them.
 * The authority's key stays in the directory and signs nothing else.
 *
 * <p>Immutable once generated; thread-safe.
 */
final class KafkaTls {

    static final String STORE_TYPE = "PKCS12";
    private static final String KEY_ALIAS = "broker";
    private static final String CA_ALIAS = "steward-test-ca";
    private static final String VALIDITY_DAYS = "30";
    private static final Duration OPENSSL_TIMEOUT = Duration.ofSeconds(30);

    private final Path keystore;
    private final Path truststore;
    private final String password;

    private KafkaTls(Path keystore, Path truststore, String password) {
        this.keystore = keystore;
        this.truststore = truststore;
        this.password = password;
    }

    /**
     * Generates a fresh authority and a certificate for {@code address} (an IPv4 address) into
     * {@code directory}; {@code openssl}'s output goes to {@code log}.
     */
    static KafkaTls generate(Path directory, String address, String password, ComponentLog log) {
        try {
            Files.createDirectories(directory);
            Path config = Files.writeString(directory.resolve("openssl.cnf"),
                    "[req]\ndistinguished_name = dn\nprompt = no\n[dn]\n");
            openssl(directory, log, List.of("req", "-x509", "-config", config.toString(),
                    "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-keyout", "ca.key", "-out", "ca.crt", "-days", VALIDITY_DAYS,
                    "-subj", "/CN=Steward test CA",
                    "-addext", "basicConstraints=critical,CA:TRUE",
                    "-addext", "keyUsage=critical,keyCertSign,cRLSign"));
            openssl(directory, log, List.of("req", "-x509", "-config", config.toString(),
                    "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-keyout", "broker.key", "-out", "broker.crt", "-days", VALIDITY_DAYS,
                    "-CA", "ca.crt", "-CAkey", "ca.key",
                    "-subj", "/CN=" + KafkaSecurity.BROKER_USER,
                    "-addext", "subjectAltName=IP:" + address,
                    "-addext", "basicConstraints=critical,CA:FALSE",
                    "-addext", "keyUsage=critical,digitalSignature",
                    "-addext", "extendedKeyUsage=serverAuth,clientAuth"));
            Certificate authority = certificate(directory.resolve("ca.crt"));
            Certificate broker = certificate(directory.resolve("broker.crt"));
            PrivateKey key = privateKey(directory.resolve("broker.key"));

            KeyStore keys = emptyStore();
            keys.setKeyEntry(KEY_ALIAS, key, password.toCharArray(), new Certificate[] {broker, authority});
            Path keystore = store(keys, directory.resolve("broker.keystore.p12"), password);
            KeyStore trusted = emptyStore();
            trusted.setCertificateEntry(CA_ALIAS, authority);
            Path truststore = store(trusted, directory.resolve("truststore.p12"), password);
            return new KafkaTls(keystore, truststore, password);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the broker's TLS material to " + directory, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the broker's TLS stores in " + directory, e);
        }
    }

    /** The broker's keystore: its key with the certificate chain up to the authority. */
    Path keystore() {
        return keystore;
    }

    /** The store every client and the broker trust: the authority's certificate only. */
    Path truststore() {
        return truststore;
    }

    /** The password of both stores and of the broker's key. */
    String password() {
        return password;
    }

    private static void openssl(Path directory, ComponentLog log, List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(arguments);
        ChildProcess.runChecked(command, RunAs.CURRENT, directory, Map.of(), log, OPENSSL_TIMEOUT);
    }

    private static Certificate certificate(Path pem) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(pem)) {
            return CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    /** Reads the PKCS#8 PEM ({@code BEGIN PRIVATE KEY}) that {@code openssl req -nodes} writes. */
    private static PrivateKey privateKey(Path pem) throws IOException, GeneralSecurityException {
        String text = Files.readString(pem, StandardCharsets.US_ASCII);
        String body = text.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
    }

    private static KeyStore emptyStore() throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(STORE_TYPE);
        store.load(null, null);
        return store;
    }

    private static Path store(KeyStore store, Path file, String password) throws IOException, GeneralSecurityException {
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, password.toCharArray());
        }
        return file;
    }
}
