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
import { findComments, findMessages, isMessageView } from '../lib/adapters/common.js';
import { pageStrings } from '../lib/strings.js';
import { blurItem, restoreAll, toast } from './blur.js';
import { Nudger } from './nudge.js';

const SCAN_DELAY_MS = 250;
const RETRY_MS = 60_000;

let state = null;          // PAGE_STATE from the service worker
let adapter = null;
let observer = null;
let nudger = null;
let scanTimer = null;
let retryTimer = null;
let dead = false;          // the extension was reloaded or removed: stop quietly
const seen = new WeakMap(); // element -> hash of the text already handled
let lastContextTarget = null;

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
  delayMs: LIMITS.BATCH_DELAY_MS,
});

function isOurs(el) {
  return Boolean(el.closest && el.closest('[data-ks-ui]'));
}

function takeNew(items) {
  const out = [];
  for (const it of items) {
    if (isOurs(it.el)) continue;
    const h = hashText(it.text);
    if (seen.get(it.textEl) === h) continue;
    seen.set(it.textEl, h);
    out.push(it);
  }
  return out;
}

function forget(items) {
  for (const it of items) seen.delete(it.textEl);
}

async function processComments() {
  const items = takeNew(findComments(document, adapter));
  if (!items.length) return;
  let n = 0;
  const jobs = items.map(async (it) => {
    let result;
    try {
      result = await batcher.add(it.text);
    } catch (err) {
      forget([it]); // leave the page untouched; try again later
      scheduleRetry();
      return;
    }
    if (!state.active || !shouldBlur(result, state.sensitivity)) return;
    const entry = blurItem(it, {
      reason: mainReason(result),
      words: spansToWords(it.text, result.spans),
      lang: langFor(it.text),
      kind: 'comment',
    });
    if (entry) {
      entry.textEl.dataset.ksScore = String(Math.round(result.score * 1000) / 1000);
      n++;
    }
  });
  await Promise.all(jobs);
  if (n) send(MSG.COUNT_FOLDED, { kind: 'blurred', n }).catch(() => {});
}

async function processMessages() {
  if (!state.shieldMessages || !adapter.messages) return;
  if (!isMessageView(adapter, location.pathname + location.hash)) return;
  const items = takeNew(findMessages(document, adapter));
  if (!items.length) return;
  const now = new Date().toISOString();
  const messages = items.map((it, i) => ({
    id: `m${i}-${hashText(it.text).slice(0, 8)}`,
    kind: 'dm',
    text: it.text,
    sender: { id: it.author || 'unknown', relation: it.relation },
    sent_at: now,
  }));
  let decisions;
  try {
    decisions = (await send(MSG.SHIELD, { messages })).decisions || [];
  } catch {
    forget(items);
    scheduleRetry();
    return;
  }
  const byId = new Map(decisions.map((d) => [d.id, d]));
  let n = 0;
  items.forEach((it, i) => {
    const d = byId.get(messages[i].id);
    const action = shieldAction(d);
    if (action === 'deliver' || !state.active) return;
    const reason = dmReason((d && d.reasons) || []);
    const entry = blurItem(it, { reason, words: [], lang: langFor(it.text), kind: 'dm' });
    if (entry) {
      entry.textEl.dataset.ksAction = action;
      n++;
    }
  });
  if (n) send(MSG.COUNT_FOLDED, { kind: 'folded', n }).catch(() => {});
}

async function scan() {
  scanTimer = null;
  if (dead || !state || !state.active) return;
  await Promise.all([processComments(), processMessages()]);
}

function scheduleScan(delay = SCAN_DELAY_MS) {
  if (scanTimer === null && !dead) scanTimer = setTimeout(scan, delay);
}

function scheduleRetry() {
  if (retryTimer !== null || dead) return;
  retryTimer = setTimeout(() => { retryTimer = null; scheduleScan(0); }, RETRY_MS);
}

function startObserving() {
  if (observer) return;
  observer = new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === 'childList' && r.addedNodes.length) {
        for (const n of r.addedNodes) {
          if (n.nodeType === 1 && !isOurs(n)) { scheduleScan(); return; }
          if (n.nodeType === 3) { scheduleScan(); return; }
        }
      } else if (r.type === 'characterData') {
        scheduleScan();
        return;
      }
    }
  });
  observer.observe(document.documentElement, { childList: true, subtree: true, characterData: true });
}

function stopObserving() {
  if (observer) observer.disconnect();
  observer = null;
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
    document.documentElement.dataset.ksAdapter = adapter.name; // lets tests see which markup was used
  }
  if (state.active) {
    if (!nudger && state.nudge) {
      nudger = new Nudger({ adapter, send, lang: pageLang, isActive: () => Boolean(state && state.active && state.nudge) });
      nudger.install();
    }
    startObserving();
    if (prev && !prev.active) forgetAll();
    scheduleScan(0);
  } else {
    stopObserving();
    restoreAll();
    forgetAll();
  }
}

function forgetAll() {
  for (const it of findComments(document, adapter)) seen.delete(it.textEl);
  if (adapter.messages) for (const it of findMessages(document, adapter)) seen.delete(it.textEl);
}

function shutdown() {
  dead = true;
  stopObserving();
  if (nudger) nudger.uninstall();
  clearTimeout(scanTimer);
  clearTimeout(retryTimer);
}

// ---- report: which comment did the person right-click?
function reportContext() {
  const target = lastContextTarget;
  const selection = cleanText(String(window.getSelection ? window.getSelection() : ''));
  const sets = [...(adapter.comments || []), ...(adapter.messages ? [adapter.messages] : [])];
  let item = null;
  if (target) {
    for (const set of sets) {
      let el = null;
      try { el = target.closest(set.item); } catch { el = null; }
      if (el) {
        const textEl = set.text ? el.querySelector(set.text) : el;
        let author = '';
        if (set.authorAttr) author = el.getAttribute(set.authorAttr) || '';
        if (!author && set.author) author = cleanText(el.querySelector(set.author)?.textContent || '');
        item = { el, text: cleanText(textEl ? textEl.textContent : el.textContent), author };
        break;
      }
    }
  }
  const context = [];
  if (item && item.el.parentElement) {
    for (const sib of item.el.parentElement.children) {
      if (sib !== item.el && !isOurs(sib) && context.length < 5) context.push(cleanText(sib.textContent).slice(0, 500));
    }
  }
  return {
    text: selection || (item ? item.text : ''),
    author: item ? item.author : '',
    context: [document.title, ...context].filter(Boolean).join('\n'),
    url: location.href,
  };
}

function onRuntimeMessage(msg, sender, sendResponse) {
  if (!msg || sender.id !== chrome.runtime.id) return false;
  if (msg.type === MSG.REPORT_CONTEXT) {
    sendResponse(reportContext());
    return false;
  }
  if (msg.type === MSG.REPORT_FILED) {
    const r = msg.record || {};
    const s = pageStrings(langFor(document.title));
    toast(r.ok ? `${s.reportFiled} ${r.id} (sha256 ${String(r.sha256).slice(0, 12)}…)` : `${s.reportFailed} ${(r.error && r.error.message) || ''}`);
    return false;
  }
  return false;
}

export async function start() {
  document.addEventListener('contextmenu', (e) => { lastContextTarget = e.target; }, true);
  chrome.runtime.onMessage.addListener(onRuntimeMessage);
  chrome.storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && changes[STORAGE.SETTINGS]) refreshState();
  });
  await refreshState();
}
