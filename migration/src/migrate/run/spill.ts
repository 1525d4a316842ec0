/**
 * The pre-flight's output, kept on disk for the write pass. The pre-flight transforms and checks
 * every row; what it produced — the documents already encoded as Firestore writes (wire.ts), the
 * rejected rows with their reasons, the counts — is appended here, page by page (V8's serializer,
 * length-prefixed frames), and the write pass sends exactly that, streaming it back with one page
 * in memory. So every document written is one the pre-flight checked, and no row is read,
 * transformed or encoded twice. The files live in a temporary folder (os.tmpdir(), so TMPDIR) that
 * the run removes at the end; a resumed run makes new ones.
 *
 * The files hold every migrated document (personal data included), so they must not outlive the
 * run: the folder is removed on SIGINT, SIGTERM and SIGHUP too, and a run that was killed outright
 * (kill -9, a crash of the machine) leaves a folder named for its process id, which the next run
 * on this machine removes once that process is gone.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import v8 from 'node:v8';
import type { RejectedRow, WorkItem } from '../units/index.js';
import type { WriteEncoder } from '../codecs/wire.js';
import { processAlive } from '../state/process-alive.js';

const SPILL_PREFIX = 'zg-migrate-';
/** zg-migrate-<pid>-<six characters from mkdtemp>. */
const SPILL_NAME = new RegExp(`^${SPILL_PREFIX}(\\d+)-[A-Za-z0-9]{6}$`);
const CLEANUP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** The spill folders in `tmp` left by zg-migrate processes that no longer run; removes them. */
export function removeStaleSpillDirs(tmp: string = os.tmpdir()): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = fs.readdirSync(tmp);
  } catch {
    return removed;
  }
  for (const name of names) {
    const pid = Number(SPILL_NAME.exec(name)?.[1] ?? NaN);
    if (!Number.isSafeInteger(pid) || pid === process.pid || processAlive(pid)) continue;
    const dir = path.join(tmp, name);
    try {
      fs.rmSync(dir, { recursive: true, force: true });
      removed.push(dir);
    } catch {
      // Not ours to remove (another user's): leave it.
    }
  }
  return removed;
}

/**
 * One run's spill folder: created with the stale ones swept first, removed by `remove()` or when a
 * signal ends the process (the signal is then raised again, so the process ends as it would have).
 */
export class SpillDir {
  readonly path: string;
  /** Folders of earlier killed runs removed when this one was made. */
  readonly swept: string[];
  private readonly handler: (signal: NodeJS.Signals) => void;
  /** Whatever path the run takes out (an error between the passes too), the folder goes with the process. */
  private readonly atExit = (): void => fs.rmSync(this.path, { recursive: true, force: true });

  constructor(onSignal: (signal: NodeJS.Signals) => void, tmp: string = os.tmpdir()) {
    this.swept = removeStaleSpillDirs(tmp);
    this.path = fs.mkdtempSync(path.join(tmp, `${SPILL_PREFIX}${process.pid}-`));
    this.handler = (signal) => {
      this.remove();
      onSignal(signal);
      process.kill(process.pid, signal);
    };
    for (const s of CLEANUP_SIGNALS) process.once(s, this.handler);
    process.once('exit', this.atExit);
  }

  file(name: string): string {
    return path.join(this.path, name);
  }

  remove(): void {
    for (const s of CLEANUP_SIGNALS) process.removeListener(s, this.handler);
    process.removeListener('exit', this.atExit);
    this.atExit();
  }
}

/** A work item as the write pass needs it. */
export interface ReadyItem {
  key: string;
  /** The item's documents, encoded as set() writes. */
  writes: Buffer;
  docs: number;
  rejects: RejectedRow[];
  counts: WorkItem['counts'];
}

export class SpillWriter {
  private readonly stream: fs.WriteStream;
  private failure: Error | null = null;
  bytes = 0;

  constructor(
    readonly file: string,
    private readonly encoder: WriteEncoder,
  ) {
    this.stream = fs.createWriteStream(file);
    this.stream.on('error', (err) => (this.failure = err));
  }

  /** Appends a page. */
  async write(items: readonly WorkItem[]): Promise<void> {
    this.throwIfFailed();
    const ready: ReadyItem[] = items.map((i) => ({
      key: i.key,
      writes: this.encoder.encodeMany(i.docs),
      docs: i.docs.length,
      rejects: i.rejects,
      counts: i.counts,
    }));
    const body = v8.serialize(ready);
    const head = Buffer.alloc(4);
    head.writeUInt32LE(body.length);
    this.bytes += body.length + 4;
    const more = this.stream.write(head) && this.stream.write(body);
    if (!more) await once(this.stream, 'drain');
    this.throwIfFailed();
  }

  /** The stream reports its errors by event, at any time: a method, so that each call reads it afresh. */
  private throwIfFailed(): void {
    if (this.failure) throw this.failure;
  }

  async close(): Promise<void> {
    this.stream.end();
    await once(this.stream, 'close');
    if (this.failure) throw new Error(`writing ${this.file}: ${this.failure.message}`);
  }
}

/**
 * The pages a SpillWriter wrote, in order, one in memory at a time. Each page is read into a buffer
 * of its own size (no read-ahead chunks glued together): the documents' bytes are sent from it as
 * they are, and a buffer per page is all the garbage the write pass makes.
 */
export async function* readSpill(file: string): AsyncIterable<ReadyItem[]> {
  const fh = await fs.promises.open(file, 'r');
  try {
    const size = (await fh.stat()).size;
    const head = Buffer.alloc(4);
    let position = 0;
    while (position < size) {
      if (size - position < 4 || (await fh.read(head, 0, 4, position)).bytesRead < 4) throw new Error(`${file} ends in the middle of a page`);
      const length = head.readUInt32LE(0);
      position += 4;
      if (size - position < length) throw new Error(`${file} ends in the middle of a page`);
      const body = Buffer.allocUnsafe(length);
      for (let got = 0; got < length;) {
        const { bytesRead } = await fh.read(body, got, length - got, position + got);
        if (bytesRead === 0) throw new Error(`${file} ends in the middle of a page`);
        got += bytesRead;
      }
      position += length;
      yield v8.deserialize(body) as ReadyItem[];
    }
  } finally {
    await fh.close();
  }
}
