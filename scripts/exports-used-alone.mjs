// Lists exported declarations of non-test TypeScript files whose name appears in no other tracked file
// (a word search: cheap, and errs on the side of "used"). `node scripts/exports-used-alone.mjs [--list]`.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const files = execFileSync('git', ['ls-files', '*.ts', '*.mjs', '*.js'], { encoding: 'utf8' })
  .split('\n')
  .filter((file) => file && !file.includes('/dist/'));
const declaration =
  /^export\s+(?:declare\s+)?(?:default\s+)?(?:async\s+)?(?:abstract\s+)?(?:const|let|function\*?|class|interface|type|enum)\s+([A-Za-z_$][\w$]*)/gm;
const wordsOf = new Map(files.map((file) => [file, new Set(readFileSync(file, 'utf8').match(/[A-Za-z_$][\w$]*/g) ?? [])]));

let total = 0;
const alone = [];
for (const file of files) {
  if (!file.endsWith('.ts') || file.endsWith('.test.ts')) continue;
  for (const [, name] of readFileSync(file, 'utf8').matchAll(declaration)) {
    total += 1;
    if (!files.some((other) => other !== file && wordsOf.get(other).has(name))) alone.push(`${file}: ${name}`);
  }
}
console.log(`exported declarations: ${total}; used in no other file: ${alone.length}`);
if (process.argv.includes('--list')) for (const line of alone) console.log(line);
