import fs from 'node:fs';
import path from 'node:path';

const keyOf = (line: string): string | null => /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(line)?.[1] ?? null;

/**
 * The functions emulator reads secrets from functions/.secret.local. Create it from the committed
 * example (fake values) when missing, and append the example's keys it lacks (a secret added since
 * the file was made), keeping every value already there. Returns the keys it wrote.
 */
export function syncLocalSecrets(root: string): string[] {
  const local = path.join(root, 'functions', '.secret.local');
  const example = path.join(root, 'functions', '.secret.local.example');
  if (!fs.existsSync(example)) return [];
  const wanted = fs
    .readFileSync(example, 'utf8')
    .split('\n')
    .filter((l) => keyOf(l) !== null);
  if (!fs.existsSync(local)) {
    fs.copyFileSync(example, local);
    return wanted.map((l) => keyOf(l) as string);
  }
  const text = fs.readFileSync(local, 'utf8');
  const have = new Set(text.split('\n').map(keyOf));
  const missing = wanted.filter((l) => !have.has(keyOf(l)));
  if (missing.length) fs.appendFileSync(local, `${text.endsWith('\n') || !text ? '' : '\n'}${missing.join('\n')}\n`);
  return missing.map((l) => keyOf(l) as string);
}
