package io.steward.audit.alert;

import java.util.Objects;

/**
 * An alert that started or ended at one log record: what {@link AlertRules} returns and
 * {@link AlertmanagerWebhook} delivers, each once.
 */
public record AlertChange(Status status, Alert alert) {

    /** Whether the alert started firing or was resolved. */
    public enum Status { FIRING, RESOLVED }

    public AlertChange {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(alert, "alert");
    }

    public String fingerprint() {
        return alert.fingerprint();
    }

    /** A firing alert that stays active until resolved (not a one-shot with its end already set). */
    public boolean isOpenEnded() {
        return status == Status.FIRING && alert.endsAt() == null;
    }
}
