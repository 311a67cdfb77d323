package io.steward.testkit.kafka;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The ACLs one SCRAM user is allowed, built up in the terms a Steward role needs, for
 * {@link KafkaPrincipals#grant} and {@link KafkaPrincipals#revoke}:
 *
 * <pre>{@code
 * KafkaAcls agent = KafkaAcls.forUser("agent-pg1")
 *         .writeTopics("steward.log")
 *         .readTopics("steward.commands")
 *         .readGroups("steward-agent-");
 * }</pre>
 *
 * <p>Every entry allows, from any host; names are prefixes (Kafka's {@code PREFIXED} patterns)
 * except in {@link #allow}, which takes any pattern. Immutable: each method returns a new value, so
 * a value can be shared between threads and extended per test.
 */
public final class KafkaAcls {

    private static final String ANY_HOST = "*";

    private final String user;
    private final List<AclBinding> bindings;

    private KafkaAcls(String user, List<AclBinding> bindings) {
        this.user = user;
        this.bindings = List.copyOf(bindings);
    }

    /** No rights yet for {@code user} (letters, digits, '.', '_' or '-'). */
    public static KafkaAcls forUser(String user) {
        return new KafkaAcls(KafkaSecurity.checkedUser(user), List.of());
    }

    /** The SCRAM user these ACLs are for. */
    public String user() {
        return user;
    }

    /** {@code User:<user>}, the principal Kafka's authorizer sees. */
    public String principal() {
        return "User:" + user;
    }

    /** Produce to topics whose names start with {@code prefix}: WRITE and DESCRIBE. */
    public KafkaAcls writeTopics(String prefix) {
        return allow(ResourceType.TOPIC, prefix, PatternType.PREFIXED, AclOperation.WRITE, AclOperation.DESCRIBE);
    }

    /** Consume from topics whose names start with {@code prefix}: READ and DESCRIBE. */
    public KafkaAcls readTopics(String prefix) {
        return allow(ResourceType.TOPIC, prefix, PatternType.PREFIXED, AclOperation.READ, AclOperation.DESCRIBE);
    }

    /** Join, commit and fetch offsets in consumer groups whose ids start with {@code prefix}: READ. */
    public KafkaAcls readGroups(String prefix) {
        return allow(ResourceType.GROUP, prefix, PatternType.PREFIXED, AclOperation.READ);
    }

    /** Use transactional ids that start with {@code prefix}: WRITE and DESCRIBE. */
    public KafkaAcls transactionalIds(String prefix) {
        return allow(ResourceType.TRANSACTIONAL_ID, prefix, PatternType.PREFIXED,
                AclOperation.WRITE, AclOperation.DESCRIBE);
    }

    /**
     * IDEMPOTENT_WRITE on the cluster. Kafka also lets an idempotent producer in with WRITE on any
     * topic, so this matters for a producer that has no topic rights yet.
     */
    public KafkaAcls idempotentWrite() {
        return allow(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL, AclOperation.IDEMPOTENT_WRITE);
    }

    /** Any other right: {@code operations} on the resources {@code name} matches under {@code patternType}. */
    public KafkaAcls allow(ResourceType type, String name, PatternType patternType, AclOperation... operations) {
        if (operations.length == 0) {
            throw new IllegalArgumentException("no operation to allow on " + type + " " + name);
        }
        List<AclBinding> more = new ArrayList<>(bindings);
        ResourcePattern resource = new ResourcePattern(type, name, patternType);
        for (AclOperation operation : operations) {
            more.add(new AclBinding(resource,
                    new AccessControlEntry(principal(), ANY_HOST, operation, AclPermissionType.ALLOW)));
        }
        return new KafkaAcls(user, more);
    }

    /** The ACL bindings, in the order they were added. */
    public List<AclBinding> bindings() {
        return bindings;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(principal()).append(" may");
        for (AclBinding binding : bindings) {
            ResourcePattern resource = binding.pattern();
            text.append(' ').append(binding.entry().operation()).append(' ').append(resource.resourceType())
                    .append(resource.patternType() == PatternType.PREFIXED ? " prefix '" : " '")
                    .append(resource.name()).append("';");
        }
        return text.toString();
    }
}
