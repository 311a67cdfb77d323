package io.steward.testkit.kafka;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import io.steward.testkit.process.ComponentLog;

/**
 * How a secured {@link KafkaBroker} is set up, as production would be: its settings, its two
 * built-in principals, and the client properties that reach it.
 *
 * <ul>
 *   <li>Clients and inter-broker traffic use the {@value #LISTENER} listener: TLS with the test
 *       kit's certificate ({@link KafkaTls}) and SASL {@value #MECHANISM}. The broker logs in to
 *       itself as {@value #BROKER_USER}.</li>
 *   <li>The controller listener stays on the node's address with TLS and client certificates: the
 *       broker's certificate maps to {@code User:broker} there, so no anonymous principal needs
 *       rights (SCRAM is not available on controller listeners).</li>
 *   <li>The {@code StandardAuthorizer} denies what no ACL allows; the super users are
 *       {@value #BROKER_USER} and {@value #ADMIN_USER}. Both SCRAM users are written into the
 *       metadata when the storage is formatted ({@link KafkaBrokerMain}), so the broker is usable
 *       the moment it starts.</li>
 * </ul>
 *
 * <p>Immutable; thread-safe. Passwords are random per broker and never logged.
 */
final class KafkaSecurity {

    static final String LISTENER = "SASL_SSL";
    static final String MECHANISM = "SCRAM-SHA-512";
    static final String BROKER_USER = "broker";
    static final String ADMIN_USER = "admin";
    private static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final KafkaTls tls;
    private final String brokerPassword;
    private final String adminPassword;

    private KafkaSecurity(KafkaTls tls, String brokerPassword, String adminPassword) {
        this.tls = tls;
        this.brokerPassword = brokerPassword;
        this.adminPassword = adminPassword;
    }

    /** Fresh passwords and TLS material for a broker listening on {@code address}, under {@code directory}. */
    static KafkaSecurity generate(Path directory, String address, ComponentLog log) {
        KafkaTls tls = KafkaTls.generate(directory, address, secret(), log);
        return new KafkaSecurity(tls, secret(), secret());
    }

    /**
     * The broker settings that replace the plain listeners: they go over the test kit's defaults
     * and under the test's own overrides.
     */
    Map<String, String> brokerConfig(String address, int port, int controllerPort) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("listeners", LISTENER + "://" + address + ":" + port + ",CONTROLLER://" + address + ":" + controllerPort);
        config.put("advertised.listeners", LISTENER + "://" + address + ":" + port);
        config.put("listener.security.protocol.map", LISTENER + ":SASL_SSL,CONTROLLER:SSL");
        config.put("inter.broker.listener.name", LISTENER);
        config.put("sasl.enabled.mechanisms", MECHANISM);
        config.put("sasl.mechanism.inter.broker.protocol", MECHANISM);
        config.put("listener.name." + LISTENER.toLowerCase(Locale.ROOT) + "." + MECHANISM.toLowerCase(Locale.ROOT) + ".sasl.jaas.config",
                jaas(BROKER_USER, brokerPassword));
        config.put("ssl.keystore.location", tls.keystore().toString());
        config.put("ssl.keystore.type", KafkaTls.STORE_TYPE);
        config.put("ssl.keystore.password", tls.password());
        config.put("ssl.key.password", tls.password());
        config.put("ssl.truststore.location", tls.truststore().toString());
        config.put("ssl.truststore.type", KafkaTls.STORE_TYPE);
        config.put("ssl.truststore.password", tls.password());
        config.put("listener.name.controller.ssl.client.auth", "required");
        config.put("ssl.principal.mapping.rules", "RULE:^CN=([^,]+)$/$1/,DEFAULT");
        config.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        config.put("allow.everyone.if.no.acl.found", "false");
        config.put("super.users", "User:" + BROKER_USER + ";User:" + ADMIN_USER);
        config.put(KafkaBrokerMain.SCRAM_USER_PREFIX + BROKER_USER, brokerPassword);
        config.put(KafkaBrokerMain.SCRAM_USER_PREFIX + ADMIN_USER, adminPassword);
        clientProperties(ADMIN_USER, adminPassword)
                .forEach((key, value) -> config.put(KafkaBrokerMain.READY_CLIENT_PREFIX + key, value));
        return config;
    }

    /** What a client logging in as {@code user} needs besides {@code bootstrap.servers}. */
    Map<String, String> clientProperties(String user, String password) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("security.protocol", "SASL_SSL");
        properties.put("sasl.mechanism", MECHANISM);
        properties.put("sasl.jaas.config", jaas(user, password));
        properties.put("ssl.truststore.location", tls.truststore().toString());
        properties.put("ssl.truststore.type", KafkaTls.STORE_TYPE);
        properties.put("ssl.truststore.password", tls.password());
        return properties;
    }

    /** The client properties of the {@value #ADMIN_USER} super user. */
    Map<String, String> adminProperties() {
        return clientProperties(ADMIN_USER, adminPassword);
    }

    /** Refuses user names that would need quoting in a JAAS line or a SCRAM argument. */
    static String checkedUser(String user) {
        if (user == null || !USER_NAME.matcher(user).matches()) {
            throw new IllegalArgumentException("a user name is letters, digits, '.', '_' or '-', got '" + user + "'");
        }
        return user;
    }

    private static String jaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + checkedUser(user)
                + "\" password=\"" + password.replace("\\", "\\\\").replace("\"", "\\\"") + "\";";
    }

    private static String secret() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
