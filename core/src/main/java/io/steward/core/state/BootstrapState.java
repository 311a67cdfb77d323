package io.steward.core.state;

import java.time.Instant;

/**
 * Who creates the group's data, and whether it has.
 *
 * @param member            the member chosen to bootstrap
 * @param adoptExistingData whether it keeps the data it already has
 * @param decidedAt         log time of the decision
 * @param systemIdentifier  set once the member reported the cluster initialized
 */
public record BootstrapState(String member, boolean adoptExistingData, Instant decidedAt, Long systemIdentifier) {

    public boolean isInitialized() {
        return systemIdentifier != null;
    }
}
