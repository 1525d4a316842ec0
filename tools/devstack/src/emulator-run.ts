import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The files of one emulator run, kept out of the repository: firebase-tools writes
 * firebase-debug.log and the Firestore emulator firestore-debug.log into its working folder, the
 * functions emulator puts one fire_emu_*.sock per worker into the temp folder and the parameter
 * values it resolved into functions/.env.local, and ports can only be given through a config file. So each run gets a private folder in the system temp folder
 * with the generated config and a private temp folder (TMPDIR), removed when the run stops; the
 * logs go into that folder too unless the caller keeps them somewhere (npm start does).
 */
export interface EmulatorRun {
  /** The run's private folder (removed by remove()). */
  dir: string;
  /** The generated firebase.json (this run's ports). */
  configPath: string;
  /** TMPDIR of firebase-tools and its workers. */
  tmpDir: string;
  /** firebase-tools' working folder: its output (emulators.log) and the emulators' debug logs. */
  logDir: string;
  /** emulators.log: everything firebase-tools prints. */
  logFile: string;
  remove(): void;
}

type Json = Record<string, unknown>;

/**
 * firebase-tools resolves the paths in its config from the config's folder: rules and indexes
 * become absolute (accepted as such), the functions source a path relative to the run folder
 * (firebase-tools joins it to that folder, so an absolute one would not do).
 */
export function relocateConfig(base: Json, root: string, dir: string, emulators: Json): Json {
  const out: Json = { ...base, emulators };
  const firestore = base.firestore as Json | undefined;
  if (firestore && typeof firestore === 'object') {
    out.firestore = Object.fromEntries(
      Object.entries(firestore).map(([k, v]) => [k, (k === 'rules' || k === 'indexes') && typeof v === 'string' ? path.resolve(root, v) : v]),
    );
  }
  if (Array.isArray(base.functions)) {
    out.functions = (base.functions as Json[]).map((f, i) =>
      typeof f.source === 'string' ? { ...f, source: path.relative(dir, path.resolve(root, f.source)), configDir: `functions-env-${i}` } : f,
    );
  }
  return out;
}

/**
 * The functions emulator writes every parameter it resolved from a default into `.env.local` of
 * the codebase's config folder (functions/ unless `configDir` says otherwise). The run's config
 * points that folder into the run, with copies of the dotenv files a developer keeps in the
 * source folder (read as before; written nowhere in the repository).
 */
function copyDotenvFiles(base: Json, root: string, dir: string, params: Record<string, string>): void {
  if (!Array.isArray(base.functions)) return;
  (base.functions as Json[]).forEach((f, i) => {
    if (typeof f.source !== 'string') return;
    const from = path.resolve(root, typeof f.configDir === 'string' ? f.configDir : f.source);
    const to = path.join(dir, `functions-env-${i}`);
    fs.mkdirSync(to);
    for (const name of fs.existsSync(from) ? fs.readdirSync(from) : []) {
      if (/^\.env(\..+)?$/.test(name)) fs.copyFileSync(path.join(from, name), path.join(to, name));
    }
    if (Object.keys(params).length) writeParams(path.join(to, '.env.local'), params);
  });
}

/** `params` over .env.local (the file the emulator reads last): this run's values win. */
function writeParams(file: string, params: Record<string, string>): void {
  const kept = fs.existsSync(file)
    ? fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => line.trim() && !Object.keys(params).some((k) => line.startsWith(`${k}=`)))
    : [];
  fs.writeFileSync(file, [...kept, ...Object.entries(params).map(([k, v]) => `${k}=${v}`)].join('\n') + '\n');
}

/** Creates the run folder and config. `logDir`, when given, is emptied and kept after remove(). */
/** A functions codebase of one run: its folder (relative to the repository) and its name. */
export interface ExtraCodebase {
  source: string;
  codebase: string;
}

export function prepareRun(root: string, emulators: Json, logDir?: string, params: Record<string, string> = {}, extra: ExtraCodebase[] = []): EmulatorRun {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zg-emulators-'));
  const tmpDir = path.join(dir, 'tmp');
  fs.mkdirSync(tmpDir);
  const logs = logDir ?? path.join(dir, 'logs');
  if (logDir) fs.rmSync(logDir, { recursive: true, force: true });
  fs.mkdirSync(logs, { recursive: true });
  const base = JSON.parse(fs.readFileSync(path.join(root, 'firebase.json'), 'utf8')) as Json;
  if (extra.length) base.functions = [...((base.functions as Json[] | undefined) ?? []), ...extra.map((c) => ({ ...c, runtime: 'nodejs22' }))];
  copyDotenvFiles(base, root, dir, params);
  const configPath = path.join(dir, 'firebase.json');
  fs.writeFileSync(configPath, JSON.stringify(relocateConfig(base, root, dir, emulators), null, 2));
  return {
    dir,
    configPath,
    tmpDir,
    logDir: logs,
    logFile: path.join(logs, 'emulators.log'),
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
