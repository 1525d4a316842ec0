import fs from 'node:fs';
import { Storage } from '@google-cloud/storage';
import type { Command } from 'commander';
import { z } from 'zod';
import { copyFiles } from '../migrate/files/index.js';
import { supabaseClient } from '../migrate/sources/supabase-client.js';
import { parseOptions, RowsRejected, UsageError, type CliContext, type CommandModule } from './command.js';
import { fmt } from './format.js';
import { openContext } from './open.js';
import { outputFile, positiveInt, projectOption, sourceOption } from './options.js';

const optionsSchema = z.object({
  source: sourceOption,
  bucket: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/, 'must be a Cloud Storage bucket name')
    .optional(),
  concurrency: positiveInt(64).default(4),
  report: outputFile.optional(),
  rejects: outputFile.optional(),
  project: projectOption.optional(),
});

async function run(raw: Record<string, unknown>, ctx: CliContext): Promise<void> {
  const opts = parseOptions(optionsSchema, raw);
  const url = ctx.env.SUPABASE_URL;
  const key = ctx.env.SUPABASE_SERVICE_ROLE_KEY;
  if (!url || !key)
    throw new UsageError('files reads Supabase Storage: set SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY (the service role key reads private buckets)');
  let origin: string;
  try {
    origin = new URL(url).origin;
  } catch {
    throw new UsageError('SUPABASE_URL is not a URL');
  }
  const { ctx: mctx, target, close } = await openContext({ ...opts, lease: 'files' }, ctx);
  const bucketName = opts.bucket ?? `${target.projectId}.firebasestorage.app`;
  // The Cloud Storage client firebase-admin uses; STORAGE_EMULATOR_HOST points it at a local stand-in (no credentials then).
  const emulator = ctx.env.STORAGE_EMULATOR_HOST;
  const storage = new Storage({
    projectId: target.projectId,
    ...(emulator ? { apiEndpoint: emulator.startsWith('http') ? emulator : `http://${emulator}` } : {}),
  });
  const supabase = supabaseClient(url, key);
  const started = Date.now();
  let result;
  try {
    result = await copyFiles(mctx, { storage: supabase.storage, bucket: storage.bucket(bucketName), origin, concurrency: opts.concurrency });
  } finally {
    await close();
  }
  const seconds = (Date.now() - started) / 1000;
  ctx.out(
    `Files: ${fmt(result.objects)} Supabase Storage objects referenced; ${fmt(result.copied)} copied to gs://${bucketName} (${fmt(Math.round(result.bytes / 1024))} kB, size and MD5 checked), ${fmt(result.already)} copied before, ${fmt(result.rejects.length)} reference(s) rejected; in ${seconds.toFixed(1)} s.\n`,
  );
  if (result.rows) ctx.out(`Documents rewritten with the new URLs: ${fmt(result.rows.written)} (from ${fmt(result.rows.rows)} rows and users).\n`);
  for (const r of result.rejects.slice(0, 50)) ctx.out(`REJECTED ${r.table} ${r.key} ${r.column}: ${r.reason}\n`);
  if (opts.report) fs.writeFileSync(opts.report, `${JSON.stringify({ ok: result.rejects.length === 0, ...result, bucket: bucketName }, null, 2)}\n`);
  if (opts.rejects) fs.writeFileSync(opts.rejects, result.rejects.map((r) => JSON.stringify(r)).join('\n') + (result.rejects.length ? '\n' : ''));
  if (result.rejects.length) throw new RowsRejected(result.rejects.length);
}

export const filesCommand: CommandModule = {
  register(program: Command, ctx: CliContext): void {
    program
      .command('files')
      .description(
        'copy every Supabase Storage object the URL columns point to into Cloud Storage, and rewrite those URLs (resumable; exit 3 when objects are missing)',
      )
      .option('--source <url>', 'the source of the run (Storage itself is read through SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY)')
      .option('--bucket <name>', "target bucket (default: the project's default bucket, <project>.firebasestorage.app)")
      .option('--concurrency <n>', 'objects copied at once', '4')
      .option('--report <file>', 'write the JSON report here')
      .option('--rejects <file>', 'write the references to missing objects as NDJSON')
      .option('--project <id>', 'Firebase project (default: $GCLOUD_PROJECT)')
      .addHelpText(
        'after',
        '\nEach object keeps its path (`{supabase bucket}/{path}` in the target bucket), content type and cache control. Objects of public\n' +
          'buckets get a Firebase download URL, of private buckets a gs:// path (read through the Storage SDK and its rules).\n',
      )
      .action(async (raw: Record<string, unknown>) => run(raw, ctx));
  },
};
