package io.treso.cli;

import picocli.CommandLine.Command;

/** {@code treso control ...}: rules and treasurer actions, as data. */
@Command(
        name = "control",
        mixinStandardHelpOptions = true,
        description = "Change rules and thresholds at run time.",
        subcommands = {ControlSetCommand.class})
final class ControlCommands implements Runnable {
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
