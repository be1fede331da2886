// Who reads the comments of this page (issue 32), in priority order: the site adapter or the known
// comment systems (generic.js), then the selectors the person picked for this origin, then - on
// sites without a site adapter - the fallback reader. Regions the person said are not comments
// are skipped by all three. app.js asks here instead of calling itemsTouched itself.

import { STORAGE } from '../lib/messages.js';
import { itemsTouched, closestDeep } from '../lib/adapters/common.js';
import { FallbackReader } from '../lib/adapters/fallback.js';
import { rulesFor } from '../lib/picker.js';

const FULL_GAP_MS = 400; // the fallback's whole-page reads: at most one per this time

function joinItems(sets) {
  return sets.map((s) => s.item).filter((sel) => {
    try { document.documentElement.matches(sel); return true; } catch { return false; }
  }).join(', ');
}

export class Readers {
  constructor(adapter) {
    this.adapter = adapter;
    this.picked = { comments: [], exclude: '' };
    this.fallback = adapter.name === 'generic' ? new FallbackReader() : null;
    this.counted = new WeakSet();
    this.counts = { adapter: 0, picked: 0, fallback: 0 };
    this.lastFull = -Infinity;
    this.configure();
  }

  async load() {
    let map = {};
    try { map = (await chrome.storage.local.get(STORAGE.PICKED))[STORAGE.PICKED] || {}; } catch { map = {}; }
    this.picked = rulesFor(map, location.origin);
    this.configure();
  }

  configure() {
    this.knownSel = joinItems([...(this.adapter.comments || []), ...this.picked.comments]);
    this.adapterSel = joinItems(this.adapter.comments || []);
    if (this.fallback) this.fallback.setRules({ known: this.knownSel, exclude: this.picked.exclude });
    this.counted = new WeakSet();
    this.counts = { adapter: 0, picked: 0, fallback: 0 };
    this.lastFull = -Infinity;
  }

  /** Every comment selector set (for the report's "which comment was clicked"). */
  sets() {
    return [...(this.adapter.comments || []), ...this.picked.comments];
  }

  excluded(el) {
    if (!this.picked.exclude) return false;
    try { return Boolean(closestDeep(el, this.picked.exclude)); } catch { return false; }
  }

  count(items, kind) {
    for (const it of items) {
      if (this.counted.has(it.textEl)) continue;
      this.counted.add(it.textEl);
      this.counts[kind]++;
    }
  }

  /** The comments `nodes` touch (`full`: the whole document). */
  comments(nodes, { onRoot, full = false } = {}) {
    const skip = (el) => this.excluded(el);
    const own = itemsTouched(nodes, this.adapter.comments, { onRoot, skip });
    this.count(own, 'adapter');
    let picked = [];
    if (this.picked.comments.length) {
      const adapterSel = this.adapterSel;
      picked = itemsTouched(nodes, this.picked.comments, {
        skip: (el) => skip(el) || Boolean(adapterSel && closestDeep(el, adapterSel)),
      });
      this.count(picked, 'picked');
    }
    let fb = [];
    if (this.fallback) {
      const now = performance.now();
      const elements = nodes.filter((n) => n && n.nodeType === 1);
      const whole = full || elements.length !== nodes.length;
      fb = this.fallback.read(document, whole ? null : elements, { allowFull: now - this.lastFull >= FULL_GAP_MS });
      if (this.fallback.lastWasFull) this.lastFull = now;
      fb = fb.filter((it) => !skip(it.el));
      this.count(fb, 'fallback');
    }
    return [...own, ...picked, ...fb];
  }

  /** The fallback's comment around `target` (for "Report as harassment"), or null. */
  fallbackItemAt(target) {
    const fb = this.fallback;
    if (!fb) return null;
    for (let p = target && target.nodeType === 1 ? target : target && target.parentElement; p; p = p.parentElement) {
      if (!fb.items.has(p)) continue;
      const section = fb.sections.find((s) => s.contains(p));
      const got = section ? fb.readAt(p, section) : null;
      return (got || []).find((it) => it.el === p) || null;
    }
    return null;
  }

  /** A whole-page read of the fallback is waiting (scan again after FULL_GAP_MS). */
  get pendingFull() { return Boolean(this.fallback && this.fallback.pendingFull); }

  get gapMs() { return FULL_GAP_MS; }

  /** Which reader reads this page, and how many comments it has seen. */
  info() {
    const { adapter, picked, fallback } = this.counts;
    let reader = this.adapter.name;
    if (this.adapter.name === 'generic') {
      const best = Object.entries({ generic: adapter, picked, fallback }).sort((a, b) => b[1] - a[1])[0];
      reader = best[1] > 0 ? best[0] : 'none';
    }
    return { reader, comments: adapter + picked + fallback, counts: { ...this.counts }, picked: this.picked.comments.length, excluded: this.picked.exclude ? this.picked.exclude.split(', ').length : 0 };
  }
}
