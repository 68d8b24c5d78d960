/**
 * What a long-running git process (`cat-file --batch`, `fast-import`) writes
 * on stdout, read as it arrives: a line at a time, or a counted number of
 * bytes. Once the process has ended, a read that needs more fails with the
 * error `ended()` makes.
 */
export class ChildOutput {
  private buffered = Buffer.alloc(0);
  private wake: (() => void) | undefined;
  private closed = false;

  constructor(private readonly ended: () => Error) {}

  /** What the process wrote. */
  push(chunk: Buffer): void {
    this.buffered = Buffer.concat([this.buffered, chunk]);
    this.wake?.();
  }

  /** The process is gone: a waiting read fails unless what it needs has arrived. */
  close(): void {
    this.closed = true;
    this.wake?.();
  }

  async line(): Promise<string> {
    for (;;) {
      const newline = this.buffered.indexOf(10);
      if (newline >= 0) {
        const line = this.buffered.subarray(0, newline).toString('utf8');
        this.buffered = this.buffered.subarray(newline + 1);
        return line;
      }
      await this.more();
    }
  }

  async bytes(count: number): Promise<Buffer> {
    while (this.buffered.length < count) await this.more();
    const bytes = this.buffered.subarray(0, count);
    this.buffered = this.buffered.subarray(count);
    return bytes;
  }

  private more(): Promise<void> {
    if (this.closed) return Promise.reject(this.ended());
    return new Promise((resolve) => {
      this.wake = () => {
        this.wake = undefined;
        resolve();
      };
    });
  }
}
