package io.steward.core.decide;

import java.time.Duration;

/**
 * The decider's own thresholds, apart from each group's dynamic configuration.
 *
 * @param commandTimeout     how long an agent may take to answer a command before it counts as failed
 * @param longCommandTimeout the same for bootstrap, clone and reinitialize, which copy whole data directories
 * @param retryBackoff       after a member's command failed, how long before it gets another one
 * @param staleSchedule      a scheduled action found this late (a decider was down) is dropped, not run
 * @param manualFailoverWait how long a manual failover may wait for the old leader's lease to go
 * @param citusPauseWait     how long a planned stop of a Citus worker primary waits for citus-sync to
 *                           pause its group on the coordinator; zero stops without asking
 */
public record DecisionPolicy(Duration commandTimeout, Duration longCommandTimeout, Duration retryBackoff,
                             Duration staleSchedule, Duration manualFailoverWait, Duration citusPauseWait) {

    public static final DecisionPolicy DEFAULT = new DecisionPolicy(Duration.ofSeconds(30), Duration.ofHours(6),
            Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofSeconds(60), Duration.ofSeconds(3));
}
