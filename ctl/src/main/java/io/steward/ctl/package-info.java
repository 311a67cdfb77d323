/**
 * stewardctl: patronictl's commands and habits over the decision service's REST API.
 *
 * <p>{@link io.steward.ctl.StewardCtl} is the composition root (configuration, one HTTP client,
 * exit codes). Each {@code *Command} is one subcommand; {@code DeciderClient} and
 * {@code StewardApi} are the only code that speaks HTTP; {@code MemberTable}, {@code Table},
 * {@code ConfigEdits} and {@code LineDiff} are pure and print or compute what patronictl would.
 * Everything outside the command line (terminal, environment, clock, editor) comes in through
 * {@code CtlEnvironment}, so tests run the CLI in-process against a stub decider.
 */
package io.steward.ctl;
