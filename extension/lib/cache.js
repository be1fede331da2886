// A small LRU cache with a time to live, serialisable to JSON (chrome.storage.session).

/**
 * SHA-256 of a string (UTF-8), as 64 hex digits: the key of the verdict cache.  A 64-bit hash
 * could be collided on purpose, so that a hostile text inherits a benign text's cached verdict.
 */
export async function sha256Hex(text) {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** FNV-1a 64-bit hash of a string, as 16 hex digits: a quick key for de-duplicating page items
 * (never for verdicts: see sha256Hex). */
export function hashText(text) {
  let h = 0xcbf29ce484222325n;
  const prime = 0x100000001b3n;
  const mask = 0xffffffffffffffffn;
  for (let i = 0; i < text.length; i++) {
    h ^= BigInt(text.charCodeAt(i));
    h = (h * prime) & mask;
  }
  return h.toString(16).padStart(16, '0');
}

export class LruCache {
  constructor({ maxEntries = 2000, ttlMs = 6 * 3600 * 1000, now = () => Date.now() } = {}) {
    this.maxEntries = maxEntries;
    this.ttlMs = ttlMs;
    this.now = now;
    this.map = new Map(); // key -> { v, t }
  }

  get size() { return this.map.size; }

  get(key) {
    const e = this.map.get(key);
    if (!e) return undefined;
    if (this.now() - e.t > this.ttlMs) {
      this.map.delete(key);
      return undefined;
    }
    this.map.delete(key); // refresh recency
    this.map.set(key, e);
    return e.v;
  }

  has(key) { return this.get(key) !== undefined; }

  set(key, value) {
    if (this.map.has(key)) this.map.delete(key);
    this.map.set(key, { v: value, t: this.now() });
    while (this.map.size > this.maxEntries) {
      this.map.delete(this.map.keys().next().value);
    }
    return this;
  }

  delete(key) { return this.map.delete(key); }

  clear() { this.map.clear(); }

  toJSON() {
    return Array.from(this.map.entries()).map(([k, e]) => [k, e.v, e.t]);
  }

  static fromJSON(entries, opts) {
    const c = new LruCache(opts);
    if (Array.isArray(entries)) {
      const now = c.now();
      for (const item of entries) {
        if (!Array.isArray(item) || item.length !== 3) continue;
        const [k, v, t] = item;
        if (typeof k === 'string' && typeof t === 'number' && now - t <= c.ttlMs) c.map.set(k, { v, t });
      }
      while (c.map.size > c.maxEntries) c.map.delete(c.map.keys().next().value);
    }
    return c;
  }
}
