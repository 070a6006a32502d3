/** A tool's `--name value` options: node:util's parseArgs, strict and without positionals, its complaints as UsageError. */
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { UsageError } from './run-cli.js';

type Flags<O extends ParseArgsOptionsConfig> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O; strict: true; allowPositionals: false }>
>['values'];

export function parseFlags<const O extends ParseArgsOptionsConfig>(argv: readonly string[], options: O): Flags<O> {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values;
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
}
