package io.steward.core.decide;

import java.util.ArrayList;
import java.util.List;

import io.steward.core.event.DeciderEvent.MemberDeclaredFailed;
import io.steward.core.model.MemberState;

/**
 * Declares members failed when they fall silent for longer than {@code ttl} while the rest of the
 * group is still heard from. When every member is silent, nobody is declared failed: that means
 * the pipeline (Kafka, the network to it, the decider's clock) is in trouble, not the members.
 */
final class FailureRule {

    private FailureRule() {
    }

    static void apply(DecisionContext context) {
        List<String> heard = new ArrayList<>();
        for (MemberState member : context.group.members().values()) {
            if (context.isFresh(member)) {
                heard.add(member.name());
            }
        }
        if (heard.isEmpty()) {
            return;
        }
        for (MemberState member : context.group.members().values()) {
            if (!member.isFailed() && !context.isFresh(member)) {
                context.emit(new MemberDeclaredFailed(context.epoch(), context.group.id(), member.name(),
                        "no report from " + member.name() + " for " + Format.seconds(member.silence(context.now))
                                + " (ttl " + Format.seconds(context.ttl()) + ") while " + String.join(", ", heard)
                                + " still report"));
            }
        }
    }
}
