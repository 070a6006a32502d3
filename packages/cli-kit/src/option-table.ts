/**
 * Options from a table (the benchmarks'): `--name value` pairs (kebab-case of the option's key), typed
 * and checked, with the defaults and the --help text in one table per command. Read by parseFlags. Pure.
 */
import { parseFlags } from './parse-flags.js';
import { UsageError } from './run-cli.js';

export interface OptionDef<T> {
  readonly kind: 'number' | 'numbers' | 'string' | 'flag';
  readonly defaultValue: T;
  readonly help: string;
  /** Smallest accepted number (numbers: each element). */
  readonly min?: number;
}

export const num = (defaultValue: number, help: string, min = 0): OptionDef<number> => ({ kind: 'number', defaultValue, help, min });
export const nums = (defaultValue: number[], help: string, min = 0): OptionDef<number[]> => ({ kind: 'numbers', defaultValue, help, min });
export const str = (defaultValue: string, help: string): OptionDef<string> => ({ kind: 'string', defaultValue, help });
export const flag = (help: string): OptionDef<boolean> => ({ kind: 'flag', defaultValue: false, help });

export type OptionSpec = Record<string, OptionDef<unknown>>;
export type Options<S extends OptionSpec> = { -readonly [K in keyof S]: S[K] extends OptionDef<infer T> ? T : never };

export const kebab = (key: string): string => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

export function usage(command: string, spec: OptionSpec): string {
  const lines = Object.entries(spec).map(([key, def]) => {
    const shown =
      def.kind === 'flag'
        ? ''
        : ` (default ${Array.isArray(def.defaultValue) ? def.defaultValue.join(',') : String(def.defaultValue) || '""'})`;
    return `  --${kebab(key).padEnd(20)} ${def.help}${shown}`;
  });
  return [`usage: ${command} [options]`, ...lines, `  --${'help'.padEnd(20)} this text`].join('\n');
}

function toNumber(flagName: string, text: string, min: number): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new UsageError(`--${flagName} expects a number, got "${text}"`);
  if (value < min) throw new UsageError(`--${flagName} must be at least ${min}, got ${value}`);
  return value;
}

/** Parses argv against the spec; throws UsageError (with the reason) on anything unknown or malformed. */
export function parseOptions<S extends OptionSpec>(argv: readonly string[], spec: S): Options<S> & { help: boolean } {
  const config: Record<string, { type: 'string' | 'boolean' }> = { help: { type: 'boolean' } };
  for (const [key, def] of Object.entries(spec)) config[kebab(key)] = { type: def.kind === 'flag' ? 'boolean' : 'string' };
  const values: Record<string, string | boolean | undefined> = parseFlags(argv, config);
  const result: Record<string, unknown> = { help: values['help'] === true };
  for (const [key, def] of Object.entries(spec)) {
    const name = kebab(key);
    const raw = values[name];
    if (raw === undefined) {
      result[key] = def.defaultValue;
    } else if (def.kind === 'flag') {
      result[key] = raw === true;
    } else if (def.kind === 'number') {
      result[key] = toNumber(name, String(raw), def.min ?? 0);
    } else if (def.kind === 'numbers') {
      const list = String(raw)
        .split(',')
        .map((part) => toNumber(name, part.trim().replace(/k$/i, '000'), def.min ?? 0));
      if (list.length === 0) throw new UsageError(`--${name} expects a comma-separated list of numbers`);
      result[key] = list;
    } else {
      result[key] = String(raw);
    }
  }
  return result as Options<S> & { help: boolean };
}
