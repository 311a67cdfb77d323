package io.steward.agent.rest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Turns Patroni's PEM files ({@code restapi.certfile}, {@code keyfile}, {@code keyfile_password})
 * into the PKCS#12 key store Jetty serves TLS from. Reads certificate chains, PKCS#8 keys
 * (plain or encrypted) and PKCS#1 RSA keys; a key in another form gets a message saying how to
 * convert it.
 */
public final class PemKeyStore {

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    private PemKeyStore() {
    }

    /**
     * Writes a PKCS#12 store holding the key and its chain to {@code target} (readable by its owner
     * only), protected with {@code storePassword}.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    public static void write(Path certfile, Path keyfile, String keyPassword, Path target, String storePassword) {
        try {
            Collection<? extends Certificate> chain = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(certificateBlocks(certfile)));
            if (chain.isEmpty()) {
                throw new IllegalArgumentException(certfile + ": no PEM certificate found");
            }
            PrivateKey key = privateKey(keyfile, keyPassword);
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("steward", key, storePassword.toCharArray(), chain.toArray(Certificate[]::new));
            Files.createDirectories(target.getParent());
            Files.deleteIfExists(target);
            Files.createFile(target, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (OutputStream out = Files.newOutputStream(target)) {
                store.store(out, storePassword.toCharArray());
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the REST API's certificate or key: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(certfile + " / " + keyfile + ": " + e.getMessage(), e);
        }
    }

    /** The file's CERTIFICATE blocks only: a key may share the file, and the certificate parser chokes on it. */
    private static byte[] certificateBlocks(Path certfile) throws IOException {
        StringBuilder certificates = new StringBuilder();
        Matcher matcher = BLOCK.matcher(Files.readString(certfile, StandardCharsets.US_ASCII));
        while (matcher.find()) {
            if (matcher.group(1).equals("CERTIFICATE")) {
                certificates.append(matcher.group()).append('\n');
            }
        }
        return certificates.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static PrivateKey privateKey(Path keyfile, String password) throws IOException, GeneralSecurityException {
        Matcher matcher = BLOCK.matcher(Files.readString(keyfile, StandardCharsets.US_ASCII));
        while (matcher.find()) {
            String type = matcher.group(1);
            byte[] der = Base64.getMimeDecoder().decode(matcher.group(2));
            switch (type) {
                case "PRIVATE KEY" -> {
                    return pkcs8(der);
                }
                case "ENCRYPTED PRIVATE KEY" -> {
                    if (password == null) {
                        throw new IllegalArgumentException(keyfile + ": the key is encrypted; set restapi.keyfile_password");
                    }
                    EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der);
                    SecretKeyFactory factory = SecretKeyFactory.getInstance(info.getAlgName());
                    return pkcs8(info.getKeySpec(factory.generateSecret(new PBEKeySpec(password.toCharArray()))).getEncoded());
                }
                case "RSA PRIVATE KEY" -> {
                    return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(rsaPkcs1ToPkcs8(der)));
                }
                case "CERTIFICATE" -> {
                    // the certificate and the key may share a file
                }
                default -> throw new IllegalArgumentException(keyfile + ": keys of type '" + type + "' are not read; "
                        + "convert the key with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8");
            }
        }
        throw new IllegalArgumentException(keyfile + ": no PEM private key found");
    }

    private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519", "Ed448"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new GeneralSecurityException("the private key is neither RSA, EC nor EdDSA");
    }

    /** Wraps a PKCS#1 RSAPrivateKey in a PKCS#8 PrivateKeyInfo with the rsaEncryption algorithm. */
    private static byte[] rsaPkcs1ToPkcs8(byte[] pkcs1) {
        byte[] algorithm = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01,
                0x01, 0x01, 0x05, 0x00};
        byte[] version = {0x02, 0x01, 0x00};
        byte[] octets = derElement(0x04, pkcs1);
        byte[] body = new byte[version.length + algorithm.length + octets.length];
        System.arraycopy(version, 0, body, 0, version.length);
        System.arraycopy(algorithm, 0, body, version.length, algorithm.length);
        System.arraycopy(octets, 0, body, version.length + algorithm.length, octets.length);
        return derElement(0x30, body);
    }

    private static byte[] derElement(int tag, byte[] content) {
        int length = content.length;
        byte[] header;
        if (length < 0x80) {
            header = new byte[] {(byte) tag, (byte) length};
        } else if (length < 0x100) {
            header = new byte[] {(byte) tag, (byte) 0x81, (byte) length};
        } else if (length < 0x10000) {
            header = new byte[] {(byte) tag, (byte) 0x82, (byte) (length >> 8), (byte) length};
        } else {
            header = new byte[] {(byte) tag, (byte) 0x83, (byte) (length >> 16), (byte) (length >> 8), (byte) length};
        }
        byte[] element = new byte[header.length + length];
        System.arraycopy(header, 0, element, 0, header.length);
        System.arraycopy(content, 0, element, header.length, length);
        return element;
    }
}
