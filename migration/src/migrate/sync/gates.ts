/**
 * Named one-shot signals between the final sync of a cutover and its check: the check of a table
 * waits until the sync is done with it. Opening twice is harmless; a failure of the sync fails
 * every wait, so the check never hangs on a sync that stopped.
 */
export class Gates {
  /** The sync has fixed its position and the source reads a snapshot taken after it. */
  static readonly SOURCE = '\u0000source';

  private readonly gates = new Map<string, { promise: Promise<void>; open: () => void; fail: (err: unknown) => void }>();
  private failure: { error: unknown } | null = null;

  private gate(name: string) {
    let g = this.gates.get(name);
    if (!g) {
      let open = (): void => undefined;
      let fail = (_err: unknown): void => undefined;
      const promise = new Promise<void>((resolve, reject) => {
        open = resolve;
        fail = reject;
      });
      promise.catch(() => undefined);
      g = { promise, open, fail };
      if (this.failure) g.fail(this.failure.error);
      this.gates.set(name, g);
    }
    return g;
  }

  open(name: string): void {
    this.gate(name).open();
  }

  wait(name: string): Promise<void> {
    return this.gate(name).promise;
  }

  fail(error: unknown): void {
    this.failure ??= { error };
    for (const g of this.gates.values()) g.fail(error);
  }
}
