// The content script proper (an ES module loaded by main.js). It finds comments and messages
// through the site's adapter, asks the service worker (never the network) about them, blurs
// what the user's sensitivity says to blur, folds hostile direct messages, nudges before
// posting and answers the context menu's "Report as harassment" with the comment's context.

import { MSG, STORAGE, LIMITS } from '../lib/messages.js';
import { Batcher } from '../lib/batch.js';
import { hashText } from '../lib/cache.js';
import { shouldBlur, mainReason, shieldAction, dmReason } from '../lib/decide.js';
import { spansToWords, uiLangFromTag, guessLang, cleanText } from '../lib/text.js';
import { selectAdapter } from '../lib/adapters/index.js';
import { itemsTouched, isMessageView, incomingOf, closestDeep, queryPath } from '../lib/adapters/common.js';
import { EMBEDS, embedsIn } from '../lib/adapters/embeds.js';
import { unblur, restoreAll, pruneDetached, blurredCount } from './blur.js';
import { Nudger } from './nudge.js';
import { Guard } from './guard.js';
import { Readers } from './readers.js';
import { startPicker } from './picker.js';

const SCAN_DELAY_MS = 40;      // coalesce a burst of mutations into one scan
const BATCH_DELAY_MS = 15;     // a scan already gathers its texts: just let concurrent scans share a request
const RETRY_MS = 60_000;
const LATE_FULL_SCAN_MS = 3000; // custom elements upgraded late attach their shadow roots silently

let state = null;          // PAGE_STATE from the service worker
let adapter = null;
let observer = null;
let nudger = null;
let scanTimer = null;
let retryTimer = null;
let lateTimer = null;
let dead = false;          // the extension was reloaded or removed: stop quietly
let fullScan = true;       // the next scan looks at the whole page (start, resume, retry)
const dirty = new Set();   // nodes changed since the last scan: only these are looked at
let observedRoots = new WeakSet(); // document and the open shadow roots under observation
let seen = new WeakMap(); // text element -> hash of the text already handled
let lastContextTarget = null;
const perf = { scans: 0, ms: 0, items: 0 }; // main-thread time spent here (test mode shows it)
let guard = null;          // banner, offline hiding, muting, folding, Report (guard.js)
let readers = null;        // adapter, picked selectors, fallback (readers.js, issue 32)

class ServiceError extends Error {
  constructor(error) { super(error && error.message); this.error = error || {}; }
}

async function send(type, payload = {}) {
  if (dead) throw new ServiceError({ code: 'dead' });
  let resp;
  try {
    resp = await chrome.runtime.sendMessage({ type, ...payload });
  } catch (err) {
    if (!chrome.runtime?.id) shutdown();
    throw new ServiceError({ code: 'no_worker', message: String(err && err.message) });
  }
  if (!resp || !resp.ok) throw new ServiceError(resp && resp.error);
  return resp.data;
}

function pageLang() {
  if (state && state.language === 'en') return 'en';
  if (state && state.language === 'zh_CN') return 'zh';
  return null; // follow the page / text
}
function langFor(text) {
  return pageLang() || (document.documentElement.lang ? uiLangFromTag(document.documentElement.lang) : guessLang(text));
}

const batcher = new Batcher(async (texts) => (await send(MSG.ANALYZE, { texts })).results, {
  maxBatch: LIMITS.MAX_BATCH,
  delayMs: BATCH_DELAY_MS,
});

function isOurs(el) {
  const e = el && el.nodeType === 1 ? el : el && el.parentElement;
  return Boolean(e && e.closest && e.closest('[data-ks-ui]'));
}

/** Items whose text is new to us. A reused node with new text loses its stale blur first. */
function takeNew(items) {
  const out = [];
  for (const it of items) {
    if (isOurs(it.el)) continue;
    const h = hashText(it.text);
    const prev = seen.get(it.textEl);
    if (prev === h) continue;
    if (prev !== undefined) unblur(it.textEl);
    seen.set(it.textEl, h);
    it.hash = h;
    out.push(it);
  }
  return out;
}

function forget(items) {
  for (const it of items) seen.delete(it.textEl);
}

/** Still the text we asked about? (a virtual list may have put another one in the node) */
function current(it) {
  return it.textEl.isConnected && seen.get(it.textEl) === it.hash;
}

async function processComments(items) {
  items = takeNew(items);
  if (!items.length) return;
  let n = 0;
  const hidden = [];
  const jobs = items.map(async (it) => {
    if (it.author && guard.mutedAuthor(it.author)) { // muted on this site: no need to ask the server
      const entry = guard.hide(it, { reason: 'muted', lang: langFor(it.text), kind: 'comment' });
      if (entry) { hidden.push(entry); n++; }
      return;
    }
    let result;
    try {
      result = await batcher.add(it.text);
    } catch (err) {
      forget([it]); // try again later; meanwhile the banner says this page is not filtered
      const health = guard.onError(err.error);
      if (health === 'offline' && state.hideAllOffline && it.textEl.isConnected) {
        const entry = guard.hide(it, { reason: 'offline', lang: langFor(it.text), kind: 'comment' });
        if (entry) hidden.push(entry);
      }
      scheduleRetry();
      return;
    }
    if (!current(it)) return;
    // a per-item error from the server (or none at all): this comment stays as it is
    if (!result || result.error) return;
    if (!state.active || !shouldBlur(result, state.sensitivity, { hideSwearing: state.hideSwearing })) return;
    const entry = guard.hide(it, {
      reason: mainReason(result),
      words: spansToWords(it.text, result.spans),
      lang: langFor(it.text),
      kind: 'comment',
    });
    if (entry) { hidden.push(entry); n++; }   // the score stays here, never in the page's DOM
  });
  await Promise.all(jobs);
  if (hidden.length) guard.fold(hidden, langFor(document.title));
  if (n) send(MSG.COUNT_FOLDED, { kind: 'blurred', n }).catch(() => {});
}

async function processMessages(items) {
  items = takeNew(items);
  if (!items.length) return;
  const now = new Date().toISOString();
  const messages = items.map((it, i) => ({
    id: `m${i}-${it.hash.slice(0, 8)}`,
    kind: 'dm',
    text: it.text,
    // a stable profile id or none: never a display name or a placeholder (see profileIdOf)
    sender: it.authorId ? { id: it.authorId, relation: it.relation } : { relation: it.relation },
    sent_at: now,
  }));
  let decisions;
  try {
    decisions = (await send(MSG.SHIELD, { messages })).decisions || [];
  } catch (err) {
    forget(items);
    guard.onError(err.error);
    scheduleRetry();
    return;
  }
  const byId = new Map(decisions.map((d) => [d.id, d]));
  let n = 0;
  items.forEach((it, i) => {
    if (!current(it)) return;
    const d = byId.get(messages[i].id);
    if (!d || d.error) return;
    const action = shieldAction(d);
    if (action === 'deliver' || !state.active) return;
    const reason = dmReason((d && d.reasons) || []);
    const entry = guard.hide(it, { reason, words: [], lang: langFor(it.text), kind: 'dm' });
    if (entry) n++;
  });
  if (n) send(MSG.COUNT_FOLDED, { kind: 'folded', n }).catch(() => {});
}

function watchRoot(root) {
  if (!observer || observedRoots.has(root)) return;
  observedRoots.add(root);
  observer.observe(root, { childList: true, subtree: true, characterData: true });
}

/** What changed since the last scan, read synchronously: the items touched and messages. */
let embedsReported = '';
/** The top frame tells the worker which comment frames (Disqus) the page carries. */
function reportEmbeds() {
  if (window.top !== window) return;
  const urls = [];
  for (const e of EMBEDS) {
    for (const f of document.querySelectorAll(e.host)) urls.push(f.src || '');
  }
  const origins = embedsIn(urls).flatMap((x) => x.origins);
  const key = origins.join(' ');
  if (key === embedsReported) return;
  embedsReported = key;
  send(MSG.PAGE_EMBEDS, { origins }).catch(() => {});
}

function collect() {
  if (fullScan) reportEmbeds();
  const full = fullScan;
  const nodes = fullScan ? [document] : Array.from(dirty);
  fullScan = false;
  dirty.clear();
  const onRoot = watchRoot;
  const comments = readers.comments(nodes, { onRoot, full });
  let messages = [];
  if (state.shieldMessages && adapter.messages && isMessageView(adapter, location.pathname + location.hash)) {
    messages = incomingOf(itemsTouched(nodes, [adapter.messages]), document, adapter.messages);
  }
  return { comments, messages };
}

async function scan() {
  scanTimer = null;
  if (dead || !state || !state.active) return;
  const t0 = performance.now();
  const { comments, messages } = collect();
  perf.scans++;
  perf.items += comments.length + messages.length;
  const jobs = Promise.all([processComments(comments), processMessages(messages)]);
  if (perf.scans % 20 === 0) pruneDetached();
  perf.ms += performance.now() - t0;
  if (readers.pendingFull) scheduleScan(readers.gapMs);
  if (state.testMode) {
    const info = readers.info();
    Object.assign(document.documentElement.dataset, { ksPerf: `${perf.scans} ${perf.ms.toFixed(1)} ${perf.items}`, ksReader: info.reader, ksSeen: String(info.comments) });
    if (readers.fallback) document.documentElement.dataset.ksFallback = `${readers.fallback.ms.toFixed(1)} ${readers.fallback.fullReads} ${readers.fallback.reads}`;
  }
  await jobs;
}

function scheduleScan(delay = SCAN_DELAY_MS) {
  if (scanTimer === null && !dead) scanTimer = setTimeout(scan, delay);
}

function scheduleFullScan(delay = 0) {
  fullScan = true;
  scheduleScan(delay);
}

function scheduleRetry() {
  if (retryTimer !== null || dead) return;
  retryTimer = setTimeout(() => { retryTimer = null; scheduleFullScan(0); }, RETRY_MS);
}

function onMutations(records) {
  const t0 = performance.now();
  let any = false;
  for (const r of records) {
    if (isOurs(r.target)) continue;
    if (r.type === 'characterData') {
      if (r.target.parentNode) { dirty.add(r.target.parentNode); any = true; }
      continue;
    }
    let textChanged = false;
    for (const n of r.addedNodes) {
      if (n.nodeType === 1 && !isOurs(n)) { dirty.add(n); any = true; } else if (n.nodeType === 3) textChanged = true;
    }
    for (const n of r.removedNodes) if (n.nodeType === 3) textChanged = true;
    if (textChanged) { dirty.add(r.target); any = true; }
  }
  perf.ms += performance.now() - t0;
  if (any) scheduleScan();
}

function startObserving() {
  if (observer) return;
  observer = new MutationObserver(onMutations);
  watchRoot(document);
  clearTimeout(lateTimer);
  lateTimer = setTimeout(() => scheduleFullScan(0), LATE_FULL_SCAN_MS);
}

function stopObserving() {
  if (observer) observer.disconnect();
  observer = null;
  observedRoots = new WeakSet(); // every root is observed again on resume
}

async function refreshState() {
  const prev = state;
  try {
    state = await send(MSG.PAGE_STATE);
  } catch {
    return;
  }
  if (!adapter) {
    adapter = selectAdapter({
      hostname: location.hostname,
      declared: document.documentElement.getAttribute('data-kindshield-site'),
      testMode: state.testMode,
    });
    readers = new Readers(adapter);
    await readers.load();
    document.documentElement.dataset.ksAdapter = adapter.name; // lets tests see which markup was used
  }
  const mutedChanged = prev && JSON.stringify(prev.muted || []) !== JSON.stringify(state.muted || []);
  if (state.active) {
    guard.start();
    if (mutedChanged) { guard.unfoldEverything(); restoreAll(); forgetAll(); }
    if (!nudger && state.nudge) {
      nudger = new Nudger({ adapter, send, lang: pageLang, isActive: () => Boolean(state && state.active && state.nudge) });
      nudger.install();
    }
    startObserving();
    if (prev && !prev.active) forgetAll();
    scheduleFullScan(0);
  } else {
    stopObserving();
    guard.stop();
    guard.setHealth('ok');
    guard.unfoldEverything();
    restoreAll();
    forgetAll();
  }
}

/** The person picked a comment or excluded a region: read the page again with the new rules. */
async function rulesChanged() {
  await readers.load();
  if (!state || !state.active) return;
  guard.unfoldEverything();
  restoreAll();
  forgetAll();
  scheduleFullScan(0);
}

function forgetAll() {
  seen = new WeakMap(); // the next full scan sees everything as new
}

function shutdown() {
  dead = true;
  if (guard) guard.stop();
  stopObserving();
  if (nudger) nudger.uninstall();
  clearTimeout(scanTimer);
  clearTimeout(retryTimer);
  clearTimeout(lateTimer);
}

// ---- report: which comment did the person right-click?
function reportContext() {
  const target = lastContextTarget;
  const selection = cleanText(String(window.getSelection ? window.getSelection() : ''));
  const sets = [...readers.sets(), ...(adapter.messages ? [adapter.messages] : [])];
  let item = null;
  if (target) {
    for (const set of sets) {
      let el = null;
      el = closestDeep(target, set.item);
      if (el) {
        const textEl = set.text ? queryPath(el, set.text) : el;
        let author = '';
        if (set.authorAttr) author = el.getAttribute(set.authorAttr) || '';
        if (!author && set.author) author = cleanText(queryPath(el, set.author)?.textContent || '');
        item = { el, text: cleanText(textEl ? textEl.textContent : el.textContent), author };
        break;
      }
    }
    if (!item) item = readers.fallbackItemAt(target); // issue 32: a comment only the fallback reads
  }
  return {
    text: selection || (item ? item.text : ''),
    author: item ? item.author : '',
    // the page as the person sees it, without Kindshield's own labels
    context: item ? guard.contextAround(item.el) : document.title,
    url: location.href,
  };
}

function onRuntimeMessage(msg, sender, sendResponse) {
  if (!msg || sender.id !== chrome.runtime.id) return false;
  if (msg.type === MSG.REPORT_CONTEXT) {
    const ctx = reportContext();
    // the comment under the click is shown as it is for the screenshot, hidden again on REPORT_FILED
    guard.captureFor(lastContextTarget).then((revealed) => sendResponse({ ...ctx, revealed }), () => sendResponse(ctx));
    return true;
  }
  if (msg.type === MSG.REPORT_FILED) {
    guard.finishCapture();
    guard.announceReport(msg.record || {}, langFor(document.title));
    return false;
  }
  if (msg.type === MSG.PAGE_COUNT) {
    sendResponse({ hidden: blurredCount(), ...(readers ? readers.info() : {}) });
    return false;
  }
  if (msg.type === MSG.PICK_START && window.top === window) {
    const regionOf = (el) => { const it = readers && readers.fallback ? readers.fallback.sections.find((s) => s.contains(el)) : null; return it || null; };
    sendResponse({ started: startPicker({ mode: msg.mode === 'exclude' ? 'exclude' : 'comment', lang: uiLangFromTag(document.documentElement.lang || navigator.language), regionOf }) });
    return false;
  }
  return false;
}

export async function start() {
  guard = new Guard({
    send,
    getState: () => state,
    lang: langFor,
    rescan: () => scheduleFullScan(0),
    forgetAll,
    collectAll: () => (readers ? readers.comments([document], { onRoot: watchRoot, full: true }) : []),
  });
  document.addEventListener('contextmenu', (e) => { lastContextTarget = (e.composedPath && e.composedPath()[0]) || e.target; }, true);
  chrome.runtime.onMessage.addListener(onRuntimeMessage);
  chrome.storage.onChanged.addListener((changes, area) => {
    // KEY_MARK: the key changed (a fingerprint only; the key itself is out of this script's reach)
    if (area === 'local' && (changes[STORAGE.SETTINGS] || changes[STORAGE.MUTED] || changes[STORAGE.KEY_MARK])) refreshState();
    if (area === 'local' && changes[STORAGE.PICKED] && readers) rulesChanged();
  });
  await refreshState();
}
