// Collects texts into batches: each distinct text once, at most `maxBatch` per call,
// flushed after a short delay. Timers are injectable so tests run without waiting.

export class Batcher {
  /**
   * @param {(texts: string[]) => Promise<any[]>} send  returns one result per text, in order
   * @param {{maxBatch?: number, delayMs?: number, setTimer?: Function, clearTimer?: Function}} opts
   */
  constructor(send, { maxBatch = 256, delayMs = 120, setTimer = (fn, ms) => setTimeout(fn, ms), clearTimer = (id) => clearTimeout(id) } = {}) {
    this.send = send;
    this.maxBatch = maxBatch;
    this.delayMs = delayMs;
    this.setTimer = setTimer;
    this.clearTimer = clearTimer;
    this.pending = new Map(); // text -> [{resolve, reject}]
    this.timer = null;
    this.inFlight = 0;
  }

  /** Resolve with the result for `text`. Identical pending texts share one request slot. */
  add(text) {
    return new Promise((resolve, reject) => {
      const waiters = this.pending.get(text);
      if (waiters) {
        waiters.push({ resolve, reject });
      } else {
        this.pending.set(text, [{ resolve, reject }]);
      }
      if (this.pending.size >= this.maxBatch) {
        this.flush();
      } else if (this.timer === null) {
        this.timer = this.setTimer(() => { this.timer = null; this.flush(); }, this.delayMs);
      }
    });
  }

  get size() { return this.pending.size; }

  /** Send everything pending now, in chunks of maxBatch. */
  flush() {
    if (this.timer !== null) {
      this.clearTimer(this.timer);
      this.timer = null;
    }
    const all = Array.from(this.pending.entries());
    this.pending.clear();
    const jobs = [];
    for (let i = 0; i < all.length; i += this.maxBatch) {
      jobs.push(this._sendChunk(all.slice(i, i + this.maxBatch)));
    }
    return Promise.all(jobs);
  }

  async _sendChunk(chunk) {
    const texts = chunk.map(([t]) => t);
    this.inFlight++;
    try {
      const results = await this.send(texts);
      if (!Array.isArray(results) || results.length !== texts.length) {
        throw new Error('result count does not match the batch');
      }
      chunk.forEach(([, waiters], i) => waiters.forEach((w) => w.resolve(results[i])));
    } catch (err) {
      chunk.forEach(([, waiters]) => waiters.forEach((w) => w.reject(err)));
    } finally {
      this.inFlight--;
    }
  }
}

/** Split a list into chunks of at most `size`. */
export function chunk(list, size) {
  const out = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}
