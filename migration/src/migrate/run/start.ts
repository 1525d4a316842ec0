/**
 * Where a run starts: which units and uid map (from the options, or from the unfinished run that
 * `--resume` continues), its run id, and where each unit stands.
 */
import type { MigrationRunDoc } from '@zhengrowth/model';
import type { MigrationContext } from '../context/index.js';
import { selectUnits, UsageProblem } from '../plan/select.js';
import { emptyCounts, runIdOf } from '../state/index.js';
import type { Unit } from '../units/index.js';
import type { UidMapMode } from '../units/users.js';
import type { Counts } from '../target/writer.js';

export interface StartOptions {
  /** Source tables (auth.users included); null: all. */
  tables: string[] | null;
  resume: boolean;
  /** null: `same`, or what the resumed run used. */
  uidMap: UidMapMode | null;
}

export interface RunStart {
  units: string[];
  uidMap: UidMapMode;
  runId: string;
  /** The unfinished run `--resume` continues (null: a new run). */
  resumeFrom: { id: string; doc: MigrationRunDoc } | null;
}

export interface UnitStart {
  key: string | null;
  counts: Counts;
  done: boolean;
}

export async function resolveStart(ctx: MigrationContext, options: StartOptions): Promise<RunStart> {
  const { source } = ctx;
  let { units, notes } = selectUnits(options.tables);
  let uidMap: UidMapMode = options.uidMap ?? 'same';
  let resumeFrom: RunStart['resumeFrom'] = null;
  if (options.resume) {
    resumeFrom = await ctx.state.unfinished();
    if (!resumeFrom) {
      ctx.log('--resume: no unfinished run in this project; starting a new one.');
    } else {
      const r = resumeFrom.doc;
      if (options.tables !== null && [...units].sort().join() !== [...r.units].sort().join()) {
        throw new UsageProblem(`option --tables: the unfinished run covers ${r.units.join(', ')}; resume it with the same tables (or leave --tables out)`);
      }
      if (options.uidMap !== null && options.uidMap !== r.uid_map) throw new UsageProblem(`option --uid-map: the unfinished run used --uid-map ${r.uid_map}`);
      if (r.source !== source.description || r.source_kind !== source.kind) {
        throw new UsageProblem(`option --source: the unfinished run read ${r.source}; resume it from the same source`);
      }
      units = r.units;
      uidMap = r.uid_map;
      notes = [];
    }
  }
  for (const n of notes) ctx.log(n);
  const runId = runIdOf({ sourceKind: source.kind, source: source.description, units, uidMap });
  return { units, uidMap, runId, resumeFrom };
}

/** Where each unit starts: its checkpoint in the resumed run, or the beginning. */
export async function unitStarts(ctx: MigrationContext, start: RunStart, units: readonly Unit[]): Promise<(u: Unit) => UnitStart> {
  const found = new Map<string, UnitStart>();
  if (start.resumeFrom) {
    for (const u of units) {
      const cp = await ctx.state.checkpoint(u.name);
      if (cp && cp.run_id === start.resumeFrom.id) found.set(u.name, { key: cp.last_key, counts: cp.counts, done: cp.done });
    }
  }
  return (u) => found.get(u.name) ?? { key: null, counts: emptyCounts(u.tables), done: false };
}
