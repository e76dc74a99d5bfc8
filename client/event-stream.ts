// A typed stream of a transaction's events: `for await (const e of transaction.events)` in the app.
// Events are kept until read (a transaction has a few dozen at most); the stream ends after the
// outcome, or with an error when the connection is lost.

export class EventStream<T> implements AsyncIterable<T> {
  private readonly buffer: T[] = [];
  private readonly waiters: { resolve(r: IteratorResult<T>): void; reject(e: Error): void }[] = [];
  private ended = false;
  private failure: Error | null = null;

  push(value: T): void {
    if (this.ended) return;
    const w = this.waiters.shift();
    if (w !== undefined) w.resolve({ value, done: false });
    else this.buffer.push(value);
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    for (const w of this.waiters.splice(0)) w.resolve({ value: undefined, done: true });
  }

  fail(error: Error): void {
    if (this.ended) return;
    this.ended = true;
    this.failure = error;
    for (const w of this.waiters.splice(0)) w.reject(error);
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: (): Promise<IteratorResult<T>> => {
        const value = this.buffer.shift();
        if (value !== undefined) return Promise.resolve({ value, done: false });
        if (this.failure !== null) return Promise.reject(this.failure);
        if (this.ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
      },
    };
  }
}
