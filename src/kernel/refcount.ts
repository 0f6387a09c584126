// Reference counts kept beside shared objects (mm_users, files_struct's count): the last put
// runs the release action.

export class RefCounts<T> {
  private readonly counts = new Map<T, number>();

  constructor(private readonly release: (x: T) => void) {}

  /** Takes a reference on x. */
  get(x: T): void {
    this.counts.set(x, (this.counts.get(x) ?? 0) + 1);
  }

  /** Drops a reference on x; the last one releases it. */
  put(x: T): void {
    const n = (this.counts.get(x) ?? 1) - 1;
    if (n > 0) {
      this.counts.set(x, n);
      return;
    }
    this.counts.delete(x);
    this.release(x);
  }

  /** How many references x has. */
  users(x: T): number {
    return this.counts.get(x) ?? 0;
  }
}
