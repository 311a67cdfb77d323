package io.steward.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class ValuesTest {

    @Test
    void lsnParsesAndPrintsAsPostgresqlDoes() {
        Lsn lsn = Lsn.parse("16/B374D848");
        assertThat(lsn.toString()).isEqualTo("16/B374D848");
        assertThat(Lsn.parse("0/3000060").value()).isEqualTo(0x3000060L);
        assertThat(Lsn.parse("1/0").bytesAfter(Lsn.parse("0/FFFFFFFF"))).isEqualTo(1);
        assertThat(Lsn.parse("0/10").bytesAfter(Lsn.parse("0/20"))).isZero();
        assertThat(Lsn.max(null, lsn)).isEqualTo(lsn);
    }

    @Test
    void lsnRejectsGarbageWithTheValue() {
        assertThatThrownBy(() -> Lsn.parse("abc")).hasMessageContaining("'abc'");
        assertThatThrownBy(() -> Lsn.parse("0/")).hasMessageContaining("expected like 0/3000060");
    }

    @Test
    void groupKeyRoundTrips() {
        GroupId id = GroupId.parse("citus-demo/2");
        assertThat(id).isEqualTo(new GroupId("citus-demo", 2));
        assertThat(id.key()).isEqualTo("citus-demo/2");
        assertThatThrownBy(() -> GroupId.parse("nogroup")).hasMessageContaining("scope/group");
        assertThatThrownBy(() -> new GroupId("a/b", 0)).hasMessageContaining("without '/'");
    }

    @Test
    void slotNamesFollowPatroni() {
        assertThat(SlotNames.forMember("pg-node.1")).isEqualTo("pg_node_1");
        assertThat(SlotNames.forMember("Node2")).isEqualTo("node2");
        assertThat(SlotNames.forMember("nœud")).isEqualTo("nu0153ud");
        assertThat(SlotNames.forMember("x".repeat(80))).hasSize(63);
    }

    @Test
    void tagsFollowPatroniPrecedence() {
        assertThat(Tags.NONE.effectiveFailoverPriority()).isEqualTo(1);
        assertThat(Tags.NONE.withNofailover(true).withFailoverPriority(5).canFailover()).isFalse();
        assertThat(Tags.NONE.withFailoverPriority(0).canFailover()).isFalse();
        assertThat(Tags.NONE.withNosync(true).withSyncPriority(3).canBeSynchronous()).isFalse();
        assertThat(Tags.NONE.withSyncPriority(2).effectiveSyncPriority()).isEqualTo(2);
    }

    @Test
    void synchronousStandbyNamesParseEveryForm() {
        assertThat(SynchronousStandbyNames.parse("FIRST 2 (\"a\", b)"))
                .isEqualTo(new SynchronousStandbyNames(false, 2, List.of("a", "b"), false));
        assertThat(SynchronousStandbyNames.parse("ANY 1 (a,b)").quorum()).isTrue();
        assertThat(SynchronousStandbyNames.parse("2 (a,b)").count()).isEqualTo(2);
        assertThat(SynchronousStandbyNames.parse("a, b"))
                .isEqualTo(new SynchronousStandbyNames(false, 1, List.of("a", "b"), false));
        assertThat(SynchronousStandbyNames.parse("*").placeholder()).isTrue();
        assertThat(SynchronousStandbyNames.parse("")).isEqualTo(SynchronousStandbyNames.NONE);
    }

    @Test
    void synchronousStandbyNamesRenderAndCompare() {
        SynchronousStandbyNames names = new SynchronousStandbyNames(true, 1, List.of("n2", "n3"), false);
        assertThat(names.render()).isEqualTo("ANY 1 (\"n2\",\"n3\")");
        assertThat(SynchronousStandbyNames.parse(names.render()).sameAs(names)).isTrue();
        assertThat(new SynchronousStandbyNames(false, 1, List.of(), true).render())
                .isEqualTo("FIRST 1 (\"" + SynchronousStandbyNames.PLACEHOLDER + "\")");
        assertThat(SynchronousStandbyNames.NONE.render()).isEmpty();
    }
}
