package io.steward.agent.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Patroni's PEM certificate and key files, as openssl writes them, become a PKCS#12 store. */
class PemKeyStoreTest {

    @TempDir
    static Path dir;

    @BeforeAll
    static void makeFiles() throws Exception {
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "key.pem", "-out", "cert.pem", "-days", "2",
                "-subj", "/CN=steward-test");
        openssl("pkcs8", "-topk8", "-in", "key.pem", "-out", "encrypted.pem", "-passout", "pass:letmein");
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
                "ec-key.pem", "-out", "ec-cert.pem", "-days", "2", "-subj", "/CN=steward-ec");
        openssl("ec", "-in", "ec-key.pem", "-out", "ec-traditional.pem");
    }

    static void openssl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
    }

    static KeyStore written(String cert, String key, String password) throws Exception {
        Path target = dir.resolve("out-" + key + ".p12");
        PemKeyStore.write(dir.resolve(cert), dir.resolve(key), password, target, "store-pass");
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(target)) {
            store.load(in, "store-pass".toCharArray());
        }
        return store;
    }

    @Test
    void aPlainPkcs8RsaKey() throws Exception {
        KeyStore store = written("cert.pem", "key.pem", null);

        assertThat(store.isKeyEntry("steward")).isTrue();
        assertThat(store.getCertificateChain("steward")).hasSize(1);
    }

    @Test
    void anEncryptedKeyWithItsPassword() throws Exception {
        assertThat(written("cert.pem", "encrypted.pem", "letmein").isKeyEntry("steward")).isTrue();
    }

    @Test
    void anEncryptedKeyWithoutAPasswordNamesTheSetting() {
        assertThatThrownBy(() -> written("cert.pem", "encrypted.pem", null))
                .hasMessageContaining("restapi.keyfile_password");
    }

    @Test
    void anEcKeyInPkcs8() throws Exception {
        assertThat(written("ec-cert.pem", "ec-key.pem", null).isKeyEntry("steward")).isTrue();
    }

    @Test
    void aTraditionalEcKeyGetsAConversionHint() {
        assertThatThrownBy(() -> written("ec-cert.pem", "ec-traditional.pem", null))
                .hasMessageContaining("EC PRIVATE KEY").hasMessageContaining("openssl pkcs8 -topk8");
    }

    @Test
    void aFileWithoutACertificateIsNamed() {
        assertThatThrownBy(() -> written("key.pem", "key.pem", null)).hasMessageContaining("no PEM certificate");
    }
}
