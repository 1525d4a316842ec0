/**
 * The first error of work that runs concurrently (parallel readers, commits in flight): kept as it
 * was thrown, so that the run stops with the real cause and not with a later consequence of it.
 */
export class FirstFailure {
  private first: { error: unknown } | null = null;

  record(error: unknown): void {
    this.first ??= { error };
  }

  get failed(): boolean {
    return this.first !== null;
  }

  /** Throws the first recorded error, as it was thrown. */
  rethrow(): void {
    if (this.first) throw this.first.error;
  }
}
