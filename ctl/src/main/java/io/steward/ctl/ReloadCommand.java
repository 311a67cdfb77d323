package io.steward.ctl;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import io.steward.ctl.ClusterInfo.MemberInfo;

/** {@code reload [SCOPE] [MEMBER...] --role --force}: members reread their configuration. */
@Command(name = "reload", description = "Make members reload their configuration")
final class ReloadCommand extends MemberActionCommand {

    @Mixin
    RoleOption role;

    @Override
    public Integer call() {
        Target target = target(words);
        ClusterInfo cluster = api().cluster(target.scope());
        List<MemberInfo> members = select(cluster, target.members(), role.role, "reload");
        confirmMembers(members, "reload", null);
        Map<String, Object> fields = new LinkedHashMap<>();
        if (apiRole(role.role) != null) {
            fields.put("role", apiRole(role.role));
        }
        return sendPerGroup(cluster, members, "reload", fields);
    }
}
