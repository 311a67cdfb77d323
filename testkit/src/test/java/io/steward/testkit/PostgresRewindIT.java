package io.steward.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.steward.testkit.postgres.PostgresNode;

class PostgresRewindIT {

    @RegisterExtension
    static final Testbed testbed = new Testbed();

    @Test
    void divergedOldPrimaryIsRewoundAndStreamsFromNewPrimary() {
        PostgresNode pg1 = testbed.postgres("pg1").start();
        pg1.sql().execute("create table events (id text primary key)", "insert into events values ('before-replica')");
        PostgresNode pg2 = pg1.startReplica("pg2");
        pg1.sql().execute("insert into events values ('streamed')");
        pg1.awaitCaughtUp(pg2);
        assertThat(pg2.isInRecovery()).isTrue();
        assertThat(pg2.sql().queryColumn("select id from events order by id")).containsExactly("before-replica", "streamed");

        pg2.promote();
        pg2.sql().execute("insert into events values ('written-on-new-primary')");
        // The old primary never learned of the promotion: a split-brain write it must lose.
        pg1.sql().execute("insert into events values ('lost-on-old-primary')");

        pg1.rewindFrom(pg2);

        assertThat(pg1.isInRecovery()).as("rewound node is a standby").isTrue();
        pg2.awaitCaughtUp(pg1);
        assertThat(pg2.replicationStates()).containsEntry("pg1", "streaming");
        pg2.sql().execute("insert into events values ('after-rejoin')");
        pg2.awaitCaughtUp(pg1);
        assertThat(pg1.sql().queryColumn("select id from events order by id"))
                .containsExactly("after-rejoin", "before-replica", "streamed", "written-on-new-primary");
    }

    @Test
    void killedPostmasterRestartsAfterCrashRecovery() {
        PostgresNode pg = testbed.postgres("crashy").start();
        pg.sql().execute("create table t (v int)", "insert into t values (1)");
        long pid = pg.postmasterPid();

        pg.kill9();
        assertThat(pg.isRunning()).isFalse();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();

        pg.start();
        assertThat(pg.sql().queryValue("select count(*) from t")).isEqualTo("1");
        pg.stopFast();
        assertThat(pg.isRunning()).isFalse();
    }
}
