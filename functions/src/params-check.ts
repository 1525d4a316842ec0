/**
 * `npm run params:check`: the deploy's parameter check (a predeploy step in firebase.json). Reads
 * the parameter files `firebase deploy` will read — functions/.env, then .env.<project> or
 * .env.<alias> (the alias from .firebaserc) — and fails the deploy with every bad param's name and
 * rule (core/param-rules.ts). A param with no value yet is left to the deploy, which asks for it;
 * each instance checks the values it was given again when it starts (entry.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEnv } from 'node:util';
import { paramProblems } from './core/param-rules.js';
import { policyFor } from './core/rate-limit.js';

const functionsDir = process.env.RESOURCE_DIR ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const project = process.env.GCLOUD_PROJECT ?? '';

/** The aliases .firebaserc gives the project (firebase deploy reads .env.<alias> too). */
function aliasesOf(projectId: string): string[] {
  const rc = path.join(process.env.PROJECT_DIR ?? path.join(functionsDir, '..'), '.firebaserc');
  if (!projectId || !fs.existsSync(rc)) return [];
  const projects = (JSON.parse(fs.readFileSync(rc, 'utf8')) as { projects?: Record<string, string> }).projects ?? {};
  return Object.entries(projects)
    .filter(([, id]) => id === projectId)
    .map(([alias]) => alias);
}

const files = ['.env', ...(project ? [`.env.${project}`] : []), ...aliasesOf(project).map((a) => `.env.${a}`)].filter((f) =>
  fs.existsSync(path.join(functionsDir, f)),
);
const values: Record<string, string | undefined> = {};
for (const f of files) Object.assign(values, parseEnv(fs.readFileSync(path.join(functionsDir, f), 'utf8')));
/**
 * Checks the deploy can afford and a cold start cannot (they load zod and the model before the
 * compile cache is in use): a param's whole shape, beyond its rule.
 */
function deepProblems(env: Record<string, string | undefined>): string[] {
  const rateLimits = env.RATE_LIMITS ?? '';
  try {
    policyFor('', {}, rateLimits);
    return [];
  } catch (err) {
    return [err instanceof Error ? err.message : String(err)];
  }
}

const shallow = paramProblems(values, { requireAll: false });
const problems = shallow.length ? shallow : deepProblems(values);
if (problems.length) {
  console.error(`params:check: bad parameters in ${files.join(', ') || '(no .env file)'}:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`params:check: every parameter keeps its rule (${files.join(', ') || 'defaults only'})`);
