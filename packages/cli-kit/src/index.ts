/** @orders-live/cli-kit: usage errors, --help and exit codes, the same in every command-line tool. */
export { UsageError, runCli, type CliDefinition, type CliProcess } from './run-cli.js';
export { parseFlags } from './parse-flags.js';
export { flag, kebab, num, nums, parseOptions, str, usage, type OptionDef, type OptionSpec, type Options } from './option-table.js';
