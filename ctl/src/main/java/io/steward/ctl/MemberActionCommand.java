package io.steward.ctl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

import io.steward.ctl.ClusterInfo.MemberInfo;

/**
 * restart, reload and reinit: patronictl's {@code get_members} (which members, by name and
 * {@code --role}, asking when none is named) and {@code confirm_members_action}. The decider takes
 * one request per group, so members of several Citus groups make several requests.
 */
abstract class MemberActionCommand extends CtlCommand {

    @Parameters(paramLabel = "[SCOPE] MEMBER", arity = "0..*",
            description = "The scope (default: the configured scope), then member names")
    List<String> words;

    @Mixin
    SharedOptions.ForceOption forceOption;

    /** {@code -r/--role}, for the commands that filter by role. */
    static final class RoleOption {
        @Option(names = {"-r", "--role"}, paramLabel = "ROLE", defaultValue = "any", converter = RoleConverter.class,
                description = "Only members with this role: leader, primary, standby-leader, replica, standby, any "
                        + "(default: ${DEFAULT-VALUE})")
        String role;
    }

    static final class RoleConverter implements ITypeConverter<String> {
        private static final List<String> ROLES = List.of("leader", "primary", "standby-leader", "replica", "standby",
                "any", "master");

        @Override
        public String convert(String value) {
            if (!ROLES.contains(value)) {
                throw new TypeConversionException("expected one of " + String.join(", ", ROLES) + ", got '" + value + "'");
            }
            return value;
        }
    }

    /** The members a command acts on; shows the table first, as patronictl does. */
    List<MemberInfo> select(ClusterInfo cluster, List<String> names, String role, String action) {
        ClusterInfo view = cluster.only(group);
        MemberTable.print(out(), cluster, group, Format.PRETTY, false, false);
        for (String name : names) {
            if (view.member(name).isEmpty()) {
                throw CtlException.refused(name + " is not a member of cluster");
            }
        }
        List<MemberInfo> ofRole = view.members().stream().filter(member -> hasRole(member, role)).toList();
        List<String> chosen;
        if (!names.isEmpty()) {
            chosen = ofRole.stream().map(MemberInfo::name).filter(names::contains).toList();
            if (chosen.isEmpty()) {
                throw CtlException.refused("No " + role + " among provided members");
            }
        } else if (action.equals("reinitialize")) {
            if (forceOption.force) {
                throw CtlException.usage("Name the member to reinitialize");
            }
            String answer = prompter().prompt("Which member do you want to " + action + " ["
                    + String.join(", ", ofRole.stream().map(MemberInfo::name).toList()) + "]?", "");
            if (ofRole.stream().noneMatch(member -> member.name().equals(answer))) {
                throw CtlException.refused(answer + " is not a member of cluster");
            }
            chosen = List.of(answer);
        } else {
            chosen = ofRole.stream().map(MemberInfo::name).toList();
        }
        if (chosen.isEmpty()) {
            throw CtlException.refused(cluster.scope() + " cluster doesn't have any members");
        }
        return ofRole.stream().filter(member -> chosen.contains(member.name())).toList();
    }

    /** patronictl's roles: leader, primary (master), standby-leader, replica (standby), any. */
    static boolean hasRole(MemberInfo member, String role) {
        return switch (role) {
            case "leader" -> member.isLeader();
            case "primary", "master" -> member.role().equals("leader");
            case "standby-leader" -> member.role().equals("standby_leader");
            case "replica", "standby" -> !member.isLeader();
            default -> true;
        };
    }

    /** The decider's word for a role filter: primary, replica, or null for any. */
    static String apiRole(String role) {
        return switch (role) {
            case "leader", "primary", "master", "standby-leader" -> "primary";
            case "replica", "standby" -> "replica";
            default -> null;
        };
    }

    /** "Are you sure you want to restart members a, b?" (or to schedule it); no is an abort. */
    void confirmMembers(List<MemberInfo> members, String action, String scheduledAt) {
        if (forceOption.force) {
            return;
        }
        String names = String.join(", ", members.stream().map(MemberInfo::name).toList());
        if (scheduledAt != null) {
            if (!prompter().confirm("Are you sure you want to schedule " + action + " of members " + names + " at "
                    + scheduledAt + "?")) {
                throw CtlException.refused("Aborted scheduled " + action);
            }
        } else if (!prompter().confirm("Are you sure you want to " + action + " members " + names + "?")) {
            throw CtlException.refused("Aborted " + action);
        }
    }

    /**
     * Sends one {@code action} request per group, each with the group's member names and the
     * fields {@code body} adds; prints each answer. Returns 0 when all succeeded.
     */
    int sendPerGroup(ClusterInfo cluster, List<MemberInfo> members, String action, Map<String, Object> fields) {
        Map<Integer, List<String>> byGroup = new TreeMap<>();
        members.forEach(member -> byGroup.computeIfAbsent(member.group(), key -> new ArrayList<>()).add(member.name()));
        int exit = 0;
        for (Map.Entry<Integer, List<String>> entry : byGroup.entrySet()) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("members", entry.getValue());
            body.putAll(fields);
            if (cluster.citus()) {
                body.put("group", entry.getKey());
            }
            DeciderClient.Reply reply = api().post(cluster.scope(), action, body);
            exit = Math.max(exit, reply.isSuccess() ? succeeded(reply)
                    : refused(LeaderChangeCommand.capitalized(action), reply));
        }
        return exit;
    }
}
