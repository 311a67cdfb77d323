package io.steward.agent.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Whether a configured command-line value already runs, so that only real changes wait for a restart. */
class PendingRestartTest {

    @Test
    void integersAndEnumsCompareAsWritten() {
        assertThat(PostgresProbe.sameSetting("100", "100", "integer")).isTrue();
        assertThat(PostgresProbe.sameSetting("100", "101", "integer")).isFalse();
        assertThat(PostgresProbe.sameSetting("logical", "LOGICAL", "enum")).isTrue();
        assertThat(PostgresProbe.sameSetting("replica", "logical", "enum")).isFalse();
    }

    @Test
    void booleansInAnyOfPostgresSpellings() {
        assertThat(PostgresProbe.sameSetting("on", "true", "bool")).isTrue();
        assertThat(PostgresProbe.sameSetting("on", "1", "bool")).isTrue();
        assertThat(PostgresProbe.sameSetting("off", "no", "bool")).isTrue();
        assertThat(PostgresProbe.sameSetting("off", "on", "bool")).isFalse();
    }

    @Test
    void anUnsetValueIsNeverPending() {
        assertThat(PostgresProbe.sameSetting("100", null, "integer")).isTrue();
    }
}
