package io.steward.testkit.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.ResourcePatternFilter;

import io.steward.testkit.Await;
import io.steward.testkit.Timing;

/**
 * Users and ACLs of a secured {@link KafkaBroker}, managed as its {@code admin} super user: what an
 * operator does with {@code kafka-configs --alter --add-config SCRAM-SHA-512=...} and
 * {@code kafka-acls --add}. Obtained from {@link KafkaBroker#principals()}.
 *
 * <p>Every change returns only once the broker applies it: a new user can log in, a granted ACL is
 * in the broker's authorizer, a revoked one is gone from it. So a test may use the right (or miss
 * it) on the next line.
 *
 * <p>Holds one admin client; close it when done. Not thread-safe.
 */
public final class KafkaPrincipals implements AutoCloseable {

    /** Kafka's default and the minimum for SCRAM-SHA-512. */
    private static final int ITERATIONS = 4096;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final KafkaBroker broker;
    private final Admin admin;

    KafkaPrincipals(KafkaBroker broker) {
        this.broker = broker;
        this.admin = Admin.create(clientConfig(broker, broker.adminProperties()));
    }

    /**
     * Creates the SCRAM-SHA-512 user {@code user} with {@code password}, or gives an existing one a
     * new password, and waits until the broker accepts the login.
     */
    public void createUser(String user, String password) {
        KafkaSecurity.checkedUser(user);
        get(admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user,
                new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, ITERATIONS), password))).all());
        Await.until("the broker to accept the login of " + user, TIMEOUT, () -> logsIn(user, password));
    }

    /** Adds {@code acls} and waits until the broker's authorizer holds them all. */
    public void grant(KafkaAcls acls) {
        get(admin.createAcls(acls.bindings()).all());
        Await.until("the broker's authorizer to hold " + acls, TIMEOUT,
                () -> aclsOf(acls.user()).containsAll(acls.bindings()));
    }

    /** Removes {@code acls} and waits until the broker's authorizer holds none of them. */
    public void revoke(KafkaAcls acls) {
        get(admin.deleteAcls(acls.bindings().stream().map(AclBinding::toFilter).toList()).all());
        Await.until("the broker's authorizer to drop " + acls, TIMEOUT, () -> {
            Set<AclBinding> left = aclsOf(acls.user());
            return acls.bindings().stream().noneMatch(left::contains);
        });
    }

    /** Every ACL the broker's authorizer holds for {@code user}. */
    public Set<AclBinding> aclsOf(String user) {
        AclBindingFilter filter = new AclBindingFilter(ResourcePatternFilter.ANY, new AccessControlEntryFilter(
                "User:" + KafkaSecurity.checkedUser(user), null, AclOperation.ANY, AclPermissionType.ANY));
        return new HashSet<>(get(admin.describeAcls(filter).values()));
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }

    /** One login with a fresh client: true once the broker authenticates {@code user}. */
    private boolean logsIn(String user, String password) {
        try (Admin probe = Admin.create(clientConfig(broker, broker.clientProperties(user, password)))) {
            get(probe.describeCluster().clusterId());
            return true;
        }
    }

    private static Map<String, Object> clientConfig(KafkaBroker broker, Map<String, String> properties) {
        Map<String, Object> config = new HashMap<>(properties);
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        return config;
    }

    /** The future's value; its failure as the Kafka exception itself, which is unchecked. */
    private static <T> T get(KafkaFuture<T> future) {
        try {
            return future.get(Timing.scaled(TIMEOUT).toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the broker did not answer within " + Timing.scaled(TIMEOUT), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
