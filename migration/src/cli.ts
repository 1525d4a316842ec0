import fs from 'node:fs';
import { Command, CommanderError } from 'commander';
import { CheckFailed, RowsRejected, UsageError, type CliContext, type CommandModule } from './commands/command.js';
import { UsageProblem } from './migrate/select.js';
import { planCommand } from './commands/plan.js';
import { runCommand } from './commands/run.js';
import { seedDemoCommand } from './commands/seed-demo.js';
import { statusCommand } from './commands/status.js';
import { verifyCommand } from './commands/verify.js';
import { syncCommand } from './commands/sync.js';
import { cutoverCommand } from './commands/cutover.js';
import { finishCommand } from './commands/finish.js';
import { filesCommand } from './commands/files.js';

/**
 * zg-migrate: one module per command under commands/. Adding a command (plan, run, verify,
 * status…) means writing its module and listing it here; nothing else changes.
 */
const COMMANDS: readonly CommandModule[] = [
  planCommand,
  runCommand,
  verifyCommand,
  syncCommand,
  cutoverCommand,
  finishCommand,
  filesCommand,
  statusCommand,
  seedDemoCommand,
];

/** The only exit codes zg-migrate uses: 3 means the work finished but rows were rejected (see the report). */
export const EXIT = { ok: 0, failure: 1, usage: 2, rejected: 3 } as const;

function packageVersion(): string {
  // dist/cli.js and src/cli.ts both sit one level below the package folder.
  const file = new URL('../package.json', import.meta.url);
  const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
  return typeof parsed === 'object' && parsed !== null && 'version' in parsed && typeof parsed.version === 'string' ? parsed.version : '0.0.0';
}

export function buildProgram(ctx: CliContext): Command {
  const program = new Command('zg-migrate')
    .description('Moves the ZhenGrowth Supabase database into Firestore and Firebase Auth')
    .version(packageVersion(), '-V, --version')
    // Commander would call process.exit itself; we want the outcome back to map it to an exit code.
    .exitOverride()
    .configureOutput({ writeOut: (s) => ctx.out(s), writeErr: (s) => ctx.err(s) })
    .showHelpAfterError('(add --help for usage)');
  for (const command of COMMANDS) command.register(program, ctx);
  return program;
}

const defaultContext: CliContext = {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  env: process.env,
  isTTY: process.stderr.isTTY === true,
};

/** Runs zg-migrate with process-style argv (node, script, …args) and returns the exit code. */
export async function main(argv: readonly string[], ctx: CliContext = defaultContext): Promise<number> {
  const program = buildProgram(ctx);
  try {
    await program.parseAsync([...argv]);
    return EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander has already printed its message (an unknown option names the flag). Exit code 0
      // means help or the version was shown; anything else is a usage error.
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (err instanceof UsageError || err instanceof UsageProblem) {
      ctx.err(`error: ${err.message}\n(add --help for usage)\n`);
      return EXIT.usage;
    }
    if (err instanceof RowsRejected) return EXIT.rejected;
    if (err instanceof CheckFailed) return EXIT.failure;
    ctx.err(`zg-migrate: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT.failure;
  }
}
