package io.steward.agent.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.steward.core.command.Command;
import io.steward.core.command.CommandHeader;
import io.steward.core.model.GroupId;

class CommandGateTest {

    static final GroupId GROUP = new GroupId("demo", 0);

    static Command reload(String id, long epoch, String member) {
        return new Command.Reload(new CommandHeader(id, epoch, GROUP, member));
    }

    static CommandGate gate(Path dir) {
        return new CommandGate(GROUP, "pg1", new ExecutedCommands(dir.resolve("commands.log")));
    }

    @Test
    void aCommandIsTakenOnOnceEvenAcrossRestarts(@TempDir Path dir) {
        assertThat(gate(dir).admit(reload("a", 1, "pg1"))).isNull();

        assertThat(gate(dir).admit(reload("a", 1, "pg1"))).contains("already carried out");
    }

    @Test
    void anOlderEpochIsRefusedEvenAfterARestart(@TempDir Path dir) {
        CommandGate gate = gate(dir);
        gate.admit(reload("a", 5, "pg1"));

        assertThat(gate.admit(reload("b", 4, "pg1"))).isEqualTo("stale epoch 4: a decider with epoch 5 has been "
                + "elected since");
        assertThat(gate(dir).admit(reload("c", 4, "pg1"))).startsWith("stale epoch 4");
        assertThat(gate(dir).admit(reload("d", 5, "pg1"))).as("the same epoch is fine").isNull();
    }

    @Test
    void anEpochSeenOnAnotherMembersCommandCounts(@TempDir Path dir) {
        gate(dir).observeEpoch(9);

        assertThat(gate(dir).admit(reload("a", 8, "pg1"))).startsWith("stale epoch 8");
        assertThat(gate(dir).maxEpoch()).isEqualTo(9);
    }

    @Test
    void aCommandForAnotherMemberOrGroupIsRefused(@TempDir Path dir) {
        assertThat(gate(dir).admit(reload("a", 1, "pg2"))).contains("addressed to pg2");
        assertThat(gate(dir).admit(new Command.Reload(new CommandHeader("b", 1, new GroupId("demo", 1), "pg1"))))
                .contains("addressed to pg1 of demo/1");
    }

    @Test
    void refusedCommandsAreNotRecorded(@TempDir Path dir) {
        gate(dir).admit(reload("a", 1, "pg2"));

        assertThat(gate(dir).admit(reload("a", 1, "pg1"))).isNull();
    }
}
