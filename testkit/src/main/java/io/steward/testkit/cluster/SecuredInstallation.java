package io.steward.testkit.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;

import io.steward.events.kafka.FactSeal;
import io.steward.events.kafka.Topics;
import io.steward.testkit.kafka.KafkaAcls;
import io.steward.testkit.kafka.KafkaBroker;
import io.steward.testkit.kafka.KafkaPrincipals;

/**
 * The credentials of an installation whose control plane is secured as docs/operations.md
 * ("Security") says: on a secured broker, one Kafka principal for the deciders, one per agent,
 * each with exactly the ACLs listed there; the deciders' secret, and each agent's key sealing its
 * facts, in files only their owner may read.
 *
 * <p>Not thread-safe.
 */
public final class SecuredInstallation {

    /** The deciders' Kafka principal. */
    public static final String DECIDER = "steward-decider";

    private final KafkaBroker kafka;
    private final Path directory;
    private final byte[] secret;
    private final Path secretFile;
    private final Map<String, String> passwords = new HashMap<>();
    private final Topics topics = Topics.DEFAULT;

    private SecuredInstallation(KafkaBroker kafka, Path directory) {
        this.kafka = kafka;
        this.directory = directory;
        this.secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        this.secretFile = privateFile("writers.secret", FactSeal.encode(secret));
    }

    /** Creates the deciders' principal with its ACLs and the deciders' secret, in {@code directory}. */
    static SecuredInstallation provision(KafkaBroker kafka, Path directory) {
        SecuredInstallation installation = new SecuredInstallation(kafka, directory);
        String prefix = installation.topics.prefix();
        installation.principal(KafkaAcls.forUser(DECIDER)
                .allow(ResourceType.TOPIC, prefix, PatternType.PREFIXED, AclOperation.CREATE, AclOperation.DESCRIBE,
                        AclOperation.DESCRIBE_CONFIGS, AclOperation.READ, AclOperation.WRITE)
                .readGroups(prefix)
                .transactionalIds(prefix)
                .idempotentWrite());
        return installation;
    }

    /** What a decider's {@code kafka.properties} need. */
    public Map<String, String> deciderKafka() {
        return kafka.clientProperties(DECIDER, passwords.get(DECIDER));
    }

    /** The deciders' secret ({@code admission.secret_file}). */
    public Path secretFile() {
        return secretFile;
    }

    /** The bytes of the deciders' secret, for tests that seal facts themselves. */
    public byte[] secret() {
        return secret.clone();
    }

    /**
     * The principal {@code agent-<name>} of an agent, with an agent's ACLs: write the facts topic,
     * read the log (answers to requests) and the commands; its {@code kafka.properties}.
     */
    public Map<String, String> agentKafka(String name) {
        String user = "agent-" + name;
        if (!passwords.containsKey(user)) {
            principal(KafkaAcls.forUser(user)
                    .allow(ResourceType.TOPIC, topics.facts(), PatternType.LITERAL, AclOperation.WRITE,
                            AclOperation.DESCRIBE)
                    .allow(ResourceType.TOPIC, topics.log(), PatternType.LITERAL, AclOperation.READ,
                            AclOperation.DESCRIBE)
                    .allow(ResourceType.TOPIC, topics.commands(), PatternType.LITERAL, AclOperation.READ,
                            AclOperation.DESCRIBE)
                    .idempotentWrite());
        }
        return kafka.clientProperties(user, passwords.get(user));
    }

    /** The file holding the key member {@code name} of {@code scope} seals its facts with. */
    public Path agentKeyFile(String scope, String name) {
        byte[] key = FactSeal.writerKey(secret, FactSeal.member(scope, name));
        return privateFile(scope + "-" + name + ".key", FactSeal.encode(key));
    }

    /** The password of a principal created here (to log in as it in a test). */
    public String password(String user) {
        return passwords.get(user);
    }

    /** What the test itself reads the topics with: the broker's admin, a super user. */
    public Map<String, String> observerKafka() {
        return kafka.adminProperties();
    }

    private void principal(KafkaAcls acls) {
        String password = HexFormat.of().formatHex(randomBytes(16));
        try (KafkaPrincipals principals = kafka.principals()) {
            principals.createUser(acls.user(), password);
            principals.grant(acls);
        }
        passwords.put(acls.user(), password);
    }

    private Path privateFile(String name, String content) {
        try {
            Files.createDirectories(directory);
            Path file = directory.resolve(name);
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, content + "\n");
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }
}
