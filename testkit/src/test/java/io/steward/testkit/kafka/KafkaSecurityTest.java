package io.steward.testkit.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.JaasContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.steward.testkit.process.ComponentLog;

/** The secured broker's certificate, settings and ACLs, without starting a broker. */
class KafkaSecurityTest {

    @TempDir
    Path directory;

    @Test
    void theBrokerCertificateNamesItsAddressAndChainsToTheTestAuthority() throws Exception {
        KafkaSecurity security = KafkaSecurity.generate(directory.resolve("tls"), "10.231.7.3",
                new ComponentLog(directory.resolve("kafka.log")));
        Map<String, String> config = security.brokerConfig("10.231.7.3", 21000, 21001);

        KeyStore keystore = load(config.get("ssl.keystore.location"), config.get("ssl.keystore.password"));
        Certificate[] chain = keystore.getCertificateChain("broker");
        assertThat(chain).hasSize(2);
        X509Certificate broker = (X509Certificate) chain[0];
        assertThat(broker.getSubjectX500Principal().getName()).isEqualTo("CN=broker");
        assertThat(broker.getSubjectAlternativeNames()).containsExactly(List.of(7, "10.231.7.3"));
        assertThat(broker.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
        broker.verify(chain[1].getPublicKey());

        KeyStore truststore = load(config.get("ssl.truststore.location"), config.get("ssl.truststore.password"));
        assertThat(truststore.size()).isEqualTo(1);
        Certificate authority = truststore.getCertificate(truststore.aliases().nextElement());
        assertThat(authority).isEqualTo(chain[1]);
        assertThat(((X509Certificate) authority).getBasicConstraints()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void theBrokerDeniesWhatNoAclAllowsAndKnowsItsTwoUsersFromTheStart() {
        KafkaSecurity security = KafkaSecurity.generate(directory.resolve("tls"), "127.0.0.1",
                new ComponentLog(directory.resolve("kafka.log")));
        Map<String, String> config = security.brokerConfig("127.0.0.1", 21000, 21001);

        assertThat(config).containsEntry("authorizer.class.name",
                        "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
                .containsEntry("allow.everyone.if.no.acl.found", "false")
                .containsEntry("super.users", "User:broker;User:admin")
                .containsEntry("listeners", "SASL_SSL://127.0.0.1:21000,CONTROLLER://127.0.0.1:21001")
                .containsEntry("advertised.listeners", "SASL_SSL://127.0.0.1:21000")
                .containsEntry("listener.security.protocol.map", "SASL_SSL:SASL_SSL,CONTROLLER:SSL")
                .containsEntry("inter.broker.listener.name", "SASL_SSL")
                .containsEntry("listener.name.controller.ssl.client.auth", "required")
                .containsKeys(KafkaBrokerMain.SCRAM_USER_PREFIX + "broker", KafkaBrokerMain.SCRAM_USER_PREFIX + "admin")
                .containsEntry(KafkaBrokerMain.READY_CLIENT_PREFIX + "security.protocol", "SASL_SSL");
        assertThat(config.get(KafkaBrokerMain.SCRAM_USER_PREFIX + "admin"))
                .isNotEqualTo(config.get(KafkaBrokerMain.SCRAM_USER_PREFIX + "broker"))
                .matches("[0-9a-f]{32}");
    }

    @Test
    void clientPropertiesKeepHostnameVerificationAndQuoteThePassword() {
        KafkaSecurity security = KafkaSecurity.generate(directory.resolve("tls"), "127.0.0.1",
                new ComponentLog(directory.resolve("kafka.log")));
        Map<String, String> client = security.clientProperties("agent-pg1", "p\"a s\\s");

        assertThat(client).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("ssl.truststore.type", "PKCS12")
                .doesNotContainKey("ssl.endpoint.identification.algorithm");
        JaasContext jaas = JaasContext.loadClientContext(Map.of("sasl.jaas.config", new Password(client.get("sasl.jaas.config"))));
        Map<String, ?> options = jaas.configurationEntries().get(0).getOptions();
        assertThat(options.get("username")).isEqualTo("agent-pg1");
        assertThat(options.get("password")).isEqualTo("p\"a s\\s");
        assertThatThrownBy(() -> security.clientProperties("agent\" admin", "x"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aclsGrantPrefixedRightsToOneUserAndStayImmutable() {
        KafkaAcls reader = KafkaAcls.forUser("auditor").readTopics("steward.");
        KafkaAcls more = reader.readGroups("steward-audit").transactionalIds("steward-decider-").idempotentWrite();

        assertThat(reader.bindings()).extracting(binding -> binding.entry().operation())
                .containsExactly(AclOperation.READ, AclOperation.DESCRIBE);
        assertThat(more.bindings()).hasSize(6).allSatisfy(binding -> {
            assertThat(binding.entry().principal()).isEqualTo("User:auditor");
            assertThat(binding.entry().host()).isEqualTo("*");
        });
        AclBinding transactional = more.bindings().get(3);
        assertThat(transactional.pattern().resourceType()).isEqualTo(ResourceType.TRANSACTIONAL_ID);
        assertThat(transactional.pattern().patternType()).isEqualTo(PatternType.PREFIXED);
        assertThat(transactional.pattern().name()).isEqualTo("steward-decider-");
        assertThat(more.bindings().get(5).pattern().resourceType()).isEqualTo(ResourceType.CLUSTER);
        assertThat(more.toString()).startsWith("User:auditor may READ TOPIC prefix 'steward.';");
        assertThatThrownBy(() -> KafkaAcls.forUser("User:x")).isInstanceOf(IllegalArgumentException.class);
    }

    private static KeyStore load(String location, String password) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(Path.of(location))) {
            store.load(in, password.toCharArray());
        }
        return store;
    }
}
