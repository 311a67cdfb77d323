package io.steward.decider.admission;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import io.steward.core.event.AgentEvent.MemberStateChanged;
import io.steward.core.event.AgentEvent.StateChange;
import io.steward.core.event.CitusEvent.CitusTopologyFailed;
import io.steward.core.event.DeciderEvent.DeciderElected;
import io.steward.core.event.Event;
import io.steward.core.event.OperatorRequest.PauseRequested;
import io.steward.core.event.OperatorRequest.RequestHeader;
import io.steward.core.model.GroupId;
import io.steward.core.model.PgState;
import io.steward.core.model.Role;
import io.steward.events.codec.EventCodec;
import io.steward.events.kafka.FactSeal;

/** What enters the log from the facts topic, and what is refused, with the deciders' secret set. */
class FactAdmissionTest {

    private static final byte[] SECRET = "thirty-two bytes of a secret ...".getBytes(StandardCharsets.UTF_8);
    private static final GroupId DEMO = new GroupId("demo", 0);
    private static final String PG1 = FactSeal.member("demo", "pg1");
    private static final String PG2 = FactSeal.member("demo", "pg2");

    private final FactAdmission admission = new FactAdmission(SECRET);

    @Test
    void aFactSealedByTheMemberItIsAboutIsAdmitted() {
        assertThat(admit(FactSeal.fact("f", PG1, key(PG1), "demo/0", crashed("pg1"))))
                .isInstanceOf(FactAdmission.Admitted.class);
    }

    @Test
    void aRequestForwardedByAnyMemberOfTheScopeIsAdmitted() {
        PauseRequested pause = new PauseRequested(new RequestHeader("r1", "alice", DEMO));
        assertThat(admit(FactSeal.fact("f", PG2, key(PG2), "demo/0", pause))).isInstanceOf(FactAdmission.Admitted.class);
        RequestHeader other = new RequestHeader("r2", "mallory", new GroupId("prod", 0));
        assertThat(reason(FactSeal.fact("f", PG2, key(PG2), "prod/0", new PauseRequested(other))))
                .contains("stated by member:demo/pg2, which may not state it");
    }

    @Test
    void aFactAboutAnotherMemberIsRefused() {
        assertThat(reason(FactSeal.fact("f", PG1, key(PG1), "demo/0", crashed("pg2"))))
                .isEqualTo("stated by member:demo/pg1, which may not state it (only member:demo/pg2 may)");
    }

    @Test
    void aSealMadeWithAnotherWritersKeyIsRefused() {
        assertThat(reason(FactSeal.fact("f", PG2, key(PG1), "demo/0", crashed("pg2"))))
                .isEqualTo("the seal does not verify for member:demo/pg2: not written with its key");
    }

    @Test
    void anUnsealedFactIsRefusedWhenTheDecidersHoldASecret() {
        assertThat(reason(FactSeal.fact("f", PG1, null, "demo/0", crashed("pg1")))).startsWith("not sealed");
        assertThat(new FactAdmission(null).admit(bytes("demo/0"), EventCodec.encode(crashed("pg1")), new RecordHeaders()))
                .as("without a secret").isInstanceOf(FactAdmission.Admitted.class);
    }

    @Test
    void aDecidersRecordIsNoFact() {
        assertThat(reason(FactSeal.fact("f", PG1, key(PG1), "~decider", new DeciderElected(Long.MAX_VALUE, "rogue"))))
                .startsWith("a DeciderElected is no fact");
    }

    @Test
    void aFactKeyedOutOfItsGroupsOrderIsRefused() {
        assertThat(reason(FactSeal.fact("f", PG1, key(PG1), "demo/1", crashed("pg1")))).startsWith("keyed demo/1 but about demo/0");
    }

    @Test
    void citusReportsComeFromCitusSyncOfTheScopeOnly() {
        CitusTopologyFailed failed = new CitusTopologyFailed(DEMO, "c1", List.of(), "no coordinator", "sync-1");
        String sync = FactSeal.citusSync("demo", "sync-1");
        assertThat(admit(FactSeal.fact("f", sync, key(sync), "demo/0", failed))).isInstanceOf(FactAdmission.Admitted.class);
        assertThat(reason(FactSeal.fact("f", PG1, key(PG1), "demo/0", failed))).contains("which may not state it");
    }

    @Test
    void garbageIsRefusedNotThrown() {
        assertThat(admission.admit(bytes("demo/0"), new byte[] {1, 2, 3}, new RecordHeaders()))
                .isInstanceOfSatisfying(FactAdmission.Refused.class, r -> assertThat(r.reason()).startsWith("cannot be read"));
        assertThat(admission.admit(null, null, new RecordHeaders())).isInstanceOf(FactAdmission.Refused.class);
    }

    private FactAdmission.Verdict admit(ProducerRecord<byte[], byte[]> record) {
        return admission.admit(record.key(), record.value(), record.headers());
    }

    private String reason(ProducerRecord<byte[], byte[]> record) {
        FactAdmission.Verdict verdict = admit(record);
        assertThat(verdict).isInstanceOf(FactAdmission.Refused.class);
        return ((FactAdmission.Refused) verdict).reason();
    }

    private static byte[] key(String writer) {
        return FactSeal.writerKey(SECRET, writer);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static Event crashed(String member) {
        return new MemberStateChanged(DEMO, member, "inc", StateChange.CRASHED, Role.PRIMARY, PgState.CRASHED, 1, null,
                "postmaster is gone");
    }
}
