package io.steward.ctl;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import io.steward.ctl.ClusterInfo.MemberInfo;

/** {@code restart [SCOPE] [MEMBER...] --role --any --pending --scheduled --pg-version --timeout --force}. */
@Command(name = "restart", description = "Restart PostgreSQL on members, now or at a scheduled time")
final class RestartCommand extends MemberActionCommand {

    @Mixin
    RoleOption role;

    @Option(names = "--any", description = "Restart a single member only")
    boolean any;

    @Option(names = "--scheduled", paramLabel = "TIME",
            description = "When: ISO 8601 (local time unless an offset is given) or 'now'")
    String scheduled;

    @Option(names = "--pg-version", paramLabel = "VERSION",
            description = "Restart only if the PostgreSQL version is less than VERSION (e.g. 15.4)")
    String pgVersion;

    @Option(names = "--pending", description = "Restart only members with a pending restart")
    boolean pending;

    @Option(names = "--timeout", paramLabel = "SECONDS",
            description = "Fail (and fail over if need be) when the restart takes longer than this")
    String timeout;

    @Override
    public Integer call() {
        Target target = target(words);
        ClusterInfo cluster = api().cluster(target.scope());
        List<MemberInfo> members = select(cluster, target.members(), role.role, "restart");
        String when = scheduled;
        if (when == null && !forceOption.force) {
            when = prompter().prompt("When should the restart take place (e.g. " + Schedules.nextHour(now()) + ")", "now");
        }
        String at = Schedules.parse(when, now().getZone());
        confirmMembers(members, "restart", at);
        if (any) {
            List<MemberInfo> shuffled = new ArrayList<>(members);
            Collections.shuffle(shuffled, root.environment().random());
            members = shuffled.subList(0, 1);
        }
        String version = pgVersion;
        if (version == null && !forceOption.force) {
            version = prompter().prompt("Restart if the PostgreSQL version is less than provided (e.g. 9.5.2)", "");
        }
        if (at != null && cluster.paused()) {
            throw CtlException.refused("Can't schedule restart in the paused state");
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        if (apiRole(role.role) != null) {
            fields.put("role", apiRole(role.role));
        }
        if (pending) {
            fields.put("restart_pending", true);
        }
        if (at != null) {
            fields.put("schedule", at);
        }
        if (version != null && !version.isBlank()) {
            fields.put("postgres_version", version.strip());
        }
        if (timeout != null) {
            fields.put("timeout", Json.scalar(timeout));
        }
        return sendPerGroup(cluster, members, "restart", fields);
    }
}
