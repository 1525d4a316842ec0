/** The options several commands share, as zod schemas (a failure names the flag: command.ts). */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** --source: a postgres:// URL, or the word `supabase` (SUPABASE_URL + SUPABASE_SERVICE_ROLE_KEY). */
export const sourceOption = z
  .string({ error: 'is required: a postgres:// URL or `supabase`' })
  .refine((s) => s === 'supabase' || /^postgres(ql)?:\/\/\S+$/.test(s), 'must be a postgres:// URL or `supabase`');

export const positiveInt = (max: number) =>
  z
    .string()
    .transform(Number)
    .pipe(
      z
        .number({ error: 'must be a number' })
        .refine(Number.isInteger, 'must be a whole number')
        .refine((n) => n >= 1, 'must be at least 1')
        .refine((n) => n <= max, `must be at most ${max}`),
    );

/** --tables a,b: checked against the mapping (select.ts) before anything is opened. */
export const tablesOption = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean),
  )
  .refine((l) => l.length > 0, 'must name at least one table');

export const uidMapOption = z.enum(['same', 'email'], { error: 'must be `same` or `email`' });

export const projectOption = z.string().min(1, 'must not be empty');

/**
 * A file the command will write at its end (--report, --rejects): checked before anything is
 * opened, so a run does not discover after an hour that its report has nowhere to go.
 */
export const outputFile = z
  .string()
  .min(1, 'must be a file name')
  .superRefine((file, c) => {
    const dir = path.dirname(path.resolve(file));
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(file);
    } catch {
      stat = undefined;
    }
    if (stat?.isDirectory()) c.addIssue({ code: 'custom', message: `${file} is a folder, not a file` });
    else if (!fs.existsSync(dir)) c.addIssue({ code: 'custom', message: `cannot write ${file}: the folder ${dir} does not exist` });
    else {
      try {
        fs.accessSync(stat ? file : dir, fs.constants.W_OK);
      } catch {
        c.addIssue({ code: 'custom', message: `cannot write ${file}: ${stat ? 'the file' : `the folder ${dir}`} is not writable` });
      }
    }
  });
