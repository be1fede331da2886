// Issue 36's page-side behaviour, kept out of app.js: the offline/bad-key banner with a
// heartbeat, hiding everything while offline (when the person asked for it), muted accounts,
// folding runs of hidden comments, the Report button and the evidence capture.

import { MSG } from '../lib/messages.js';
import { HEALTH, healthOfError } from '../lib/health.js';
import { isMuted } from '../lib/mute.js';
import { pageStrings } from '../lib/strings.js';
import { cleanText } from '../lib/text.js';
import { blurItem, blurEntry, entries, restoreAll, toast } from './blur.js';
import { showBanner, hideBanner, bannerState } from './banner.js';
import { refold, unfoldAll } from './fold.js';
import { revealForCapture, textWithoutOurs } from './evidence.js';

const HEARTBEAT_MS = 5000;     // how soon a page notices the server went away (or came back)
const CAPTURE_RESTORE_MS = 15000; // a capture the worker never finished is undone anyway
const TOP_FRAME = window.top === window; // one banner and one heartbeat per tab, not per comment frame

export class Guard {
  /**
   * @param {object} deps { send, getState, lang(text), rescan(), forgetAll(), collectAll() }
   */
  constructor(deps) {
    this.deps = deps;
    this.timer = null;
    this.rowEntry = new WeakMap(); // row element -> entry
    this.pendingCapture = null;
  }

  // ---------------------------------------------------------------- hiding with the extras
  hide(item, opts) {
    const entry = blurItem(item, {
      ...opts,
      onReport: (e) => this.report(e),
      onMute: (e, on) => this.mute(e, on),
    });
    if (entry) {
      entry.row = rowOf(entry.itemEl);
      this.rowEntry.set(entry.row, entry);
    }
    return entry;
  }

  isHiddenRow(row) {
    const e = this.rowEntry.get(row);
    return Boolean(e && !e.revealed && e.textEl.isConnected && blurEntry(e.textEl) === e);
  }

  /** Fold runs of hidden comments around these entries (after a batch was decided). */
  fold(newEntries, lang) {
    const rows = newEntries.filter(Boolean).map((e) => e.row).filter(Boolean);
    if (rows.length) refold(rows, (row) => this.isHiddenRow(row), lang);
  }

  unfoldEverything() {
    unfoldAll();
  }

  mutedAuthor(author) {
    const st = this.deps.getState();
    return Boolean(st && Array.isArray(st.muted) && isMuted(st.muted, author));
  }

  async mute(entry, on) {
    try {
      await this.deps.send(MSG.MUTE_ACCOUNT, { author: entry.author, muted: on });
    } catch { /* the worker says nothing useful here; the label stays */ }
  }

  // ---------------------------------------------------------------- never silent
  start() {
    if (TOP_FRAME && this.timer === null) this.timer = setInterval(() => this.checkHealth(), HEARTBEAT_MS);
  }

  stop() {
    clearInterval(this.timer);
    this.timer = null;
  }

  /** An error from the worker while checking comments: show the banner now. */
  onError(error) {
    const health = healthOfError(error);
    if (health && health !== HEALTH.OK) this.setHealth(health);
    return health;
  }

  async checkHealth(fresh = false) {
    if (document.visibilityState === 'hidden' && !bannerState()) return;
    let health;
    try {
      health = (await this.deps.send(MSG.HEALTH, { fresh })).health;
    } catch (err) {
      health = healthOfError(err.error) || HEALTH.OFFLINE;
    }
    this.setHealth(health);
  }

  setHealth(health) {
    const st = this.deps.getState();
    if (!TOP_FRAME) return;
    if (!st || !st.active) { hideBanner(); return; }
    const lang = this.deps.lang(document.title);
    if (health === HEALTH.OK) {
      if (bannerState()) {
        hideBanner(lang);
        restoreAll((e) => e.reason === 'offline');
        this.deps.forgetAll();
        this.deps.rescan();
      }
      return;
    }
    const hiding = health === HEALTH.OFFLINE && Boolean(st.hideAllOffline);
    showBanner(health, {
      lang,
      hiding,
      onRetry: () => this.checkHealth(true),
      onSettings: () => this.deps.send(MSG.OPEN_PAGE, { page: 'settings' }).catch(() => {}),
    });
    if (hiding) this.hideAllOffline();
  }

  /** While offline, with the setting on: every comment on the page goes behind a placeholder. */
  hideAllOffline() {
    for (const it of this.deps.collectAll()) {
      if (!blurEntry(it.textEl)) this.hide(it, { reason: 'offline', lang: this.deps.lang(it.text), kind: 'comment' });
    }
  }

  // ---------------------------------------------------------------- evidence
  contextAround(el) {
    const context = [];
    const row = rowOf(el);
    if (row && row.parentElement) {
      for (const sib of row.parentElement.children) {
        if (sib === row || (sib.dataset && sib.dataset.ksUi) || context.length >= 5) continue;
        const text = cleanText(textWithoutOurs(sib)).slice(0, 500);
        if (text) context.push(text);
      }
    }
    return [document.title, ...context].filter(Boolean).join('\n');
  }

  /** The Report button: reveal, capture and file through the worker, hide again, say so. */
  async report(entry) {
    const lang = entry.lang;
    const s = pageStrings(lang);
    const text = cleanText(entry.textEl.textContent || '');
    const context = this.contextAround(entry.itemEl);
    const cap = await revealForCapture(entry, entry.itemEl);
    let record;
    try {
      record = await this.deps.send(MSG.REPORT_ITEM, { text, author: entry.author, context, url: location.href, revealed: cap.revealed });
    } catch (err) {
      record = { ok: false, error: err.error || {} };
    } finally {
      cap.restore();
      this.fold([entry], lang);
    }
    this.announceReport(record, lang, s);
    return record;
  }

  announceReport(record, lang, s = pageStrings(lang)) {
    if (record && record.ok) {
      toast(s.evidenceSaved, { lang, action: { text: s.view, onClick: () => this.deps.send(MSG.OPEN_PAGE, { page: 'dashboard' }).catch(() => {}) } });
    } else {
      toast(`${s.reportFailed} ${(record && record.error && record.error.message) || ''}`, { lang });
    }
  }

  /** The context menu's report: the comment under the click is revealed until REPORT_FILED. */
  async captureFor(target) {
    this.finishCapture();
    const entry = target ? entries().find((e) => e.itemEl.contains(target) || e.label.contains(target)) || null : null;
    const cap = await revealForCapture(entry, entry ? entry.itemEl : null);
    const timer = setTimeout(() => this.finishCapture(), CAPTURE_RESTORE_MS);
    this.pendingCapture = { cap, entry, timer };
    return cap.revealed;
  }

  finishCapture() {
    const p = this.pendingCapture;
    if (!p) return;
    this.pendingCapture = null;
    clearTimeout(p.timer);
    p.cap.restore();
    if (p.entry) this.fold([p.entry], p.entry.lang);
  }
}

/** The element a comment occupies in its list: climbs single-child wrappers (X's cells). */
export function rowOf(el) {
  let row = el;
  while (row && row.parentElement && row.parentElement !== document.body) {
    const parent = row.parentElement;
    const kids = Array.from(parent.children).filter((k) => !(k.dataset && k.dataset.ksUi));
    if (kids.length !== 1) break;
    row = parent;
  }
  return row;
}
