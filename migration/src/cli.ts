import fs from 'node:fs';
import { Command, CommanderError } from 'commander';
import { CheckFailed, RowsRejected, UsageError, type CliContext, type CommandModule } from './commands/command.js';
import { UsageProblem } from './migrate/plan/select.js';

/**
 * zg-migrate: one module per command under commands/. Adding a command (plan, run, verify,
 * status…) means writing its module and listing it here; nothing else changes. A command's module
 * is loaded only when it is the one asked for (all of them for the overall help): each pulls in
 * its own libraries (the generator and bcrypt for seed-demo, for instance), start-up every other
 * command would otherwise pay.
 */
const COMMANDS: Readonly<Record<string, () => Promise<CommandModule>>> = {
  plan: async () => (await import('./commands/plan.js')).planCommand,
  run: async () => (await import('./commands/run.js')).runCommand,
  verify: async () => (await import('./commands/verify.js')).verifyCommand,
  sync: async () => (await import('./commands/sync.js')).syncCommand,
  cutover: async () => (await import('./commands/cutover.js')).cutoverCommand,
  finish: async () => (await import('./commands/finish.js')).finishCommand,
  files: async () => (await import('./commands/files.js')).filesCommand,
  status: async () => (await import('./commands/status.js')).statusCommand,
  'seed-demo': async () => (await import('./commands/seed-demo.js')).seedDemoCommand,
};

/** The modules of the command named in argv (node, script, command, …), or of every command. */
async function commandsFor(argv: readonly string[]): Promise<CommandModule[]> {
  const name = argv[2];
  const named = name !== undefined && Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  return Promise.all(named ? [named()] : Object.values(COMMANDS).map((load) => load()));
}

/** The only exit codes zg-migrate uses: 3 means the work finished but rows were rejected (see the report). */
export const EXIT = { ok: 0, failure: 1, usage: 2, rejected: 3 } as const;

function packageVersion(): string {
  // dist/cli.js and src/cli.ts both sit one level below the package folder.
  const file = new URL('../package.json', import.meta.url);
  const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
  return typeof parsed === 'object' && parsed !== null && 'version' in parsed && typeof parsed.version === 'string' ? parsed.version : '0.0.0';
}

export async function buildProgram(argv: readonly string[], ctx: CliContext): Promise<Command> {
  const program = new Command('zg-migrate')
    .description('Moves the ZhenGrowth Supabase database into Firestore and Firebase Auth')
    .version(packageVersion(), '-V, --version')
    // Commander would call process.exit itself; we want the outcome back to map it to an exit code.
    .exitOverride()
    .configureOutput({ writeOut: (s) => ctx.out(s), writeErr: (s) => ctx.err(s) })
    .showHelpAfterError('(add --help for usage)');
  for (const command of await commandsFor(argv)) command.register(program, ctx);
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
  const program = await buildProgram(argv, ctx);
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
