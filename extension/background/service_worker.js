// Kindshield's service worker: the only part of the extension that talks to the network.
// It may be terminated at any moment, so everything it needs to remember lives in
// chrome.storage (settings and notified notices in .local; backoff and cache in .session).

import { MSG, CONTENT_MESSAGES, STORAGE, ALARMS, MENU_REPORT, DURATIONS, LIMITS, DEFAULT_SETTINGS, normalizeSettings, storedSettings, originPattern } from '../lib/messages.js';
import { LruCache } from '../lib/cache.js';
import { chunk } from '../lib/batch.js';
import { cleanText, hostMatches, siteKey } from '../lib/text.js';
import { isDown, retrying } from '../lib/backoff.js';
import { slimResult, readAnalysis } from '../lib/decide.js';
import { knownEmbedOrigins } from '../lib/adapters/embeds.js';
import { ApiError, apiFetch, getSettings, getBackoff, onHealthChange, probeHealth } from './api.js';
import { sha256Hex } from '../lib/digest.js';
import { mutedOn, setMuted } from '../lib/mute.js';
import { serverHealth, forgetHealth, noteKeyState } from './health.js';
import { discover, pair } from './pairing.js';
import { loadApiKey, saveApiKey, migrateApiKey, lockSessionStorage, warmApiKey } from './keystore.js';

const NOTICE_PERIOD_MIN = 1;
const CONTENT_SCRIPT_ID = 'ks-content';
const t = (key, subs) => chrome.i18n.getMessage(key, subs) || key;

// ---------------------------------------------------------------- badge and health
async function showHealth(state) {
  if (isDown(state)) {
    await chrome.action.setBadgeBackgroundColor({ color: '#b3261e' });
    await chrome.action.setBadgeText({ text: '!' });
    await chrome.action.setTitle({ title: t('badgeServerDown') });
    const when = Math.max(Date.now() + 30_000, state.nextAttemptAt || 0);
    await chrome.alarms.create(ALARMS.HEALTH, { when });
  } else {
    await chrome.action.setBadgeText({ text: '' });
    await chrome.action.setTitle({ title: t('extName') });
    await chrome.alarms.clear(ALARMS.HEALTH);
  }
}
onHealthChange((state) => showHealth(state));

// ---------------------------------------------------------------- analysis with a cache
let cachePromise = null;
function loadCache() {
  if (!cachePromise) {
    cachePromise = chrome.storage.session.get(STORAGE.CACHE).then((got) =>
      LruCache.fromJSON(got[STORAGE.CACHE], { maxEntries: LIMITS.CACHE_ENTRIES, ttlMs: LIMITS.CACHE_TTL_MS }));
  }
  return cachePromise;
}
async function saveCache(cache) {
  try {
    await chrome.storage.session.set({ [STORAGE.CACHE]: cache.toJSON() });
  } catch {
    cache.clear(); // over the session quota: start again rather than fail
    await chrome.storage.session.remove(STORAGE.CACHE);
  }
}

/** Results for `texts` in order: cached ones from storage, the rest from /v1/analyze. */
async function analyze(texts) {
  const clean = texts.map((x) => cleanText(String(x ?? ''), LIMITS.MAX_TEXT));
  const cache = await loadCache();
  const results = new Array(clean.length).fill(null);
  const missing = new Map(); // text -> [indexes]
  const keys = new Map(); // text -> SHA-256 (the cache holds digests, never texts)
  for (const text of new Set(clean)) if (text) keys.set(text, await sha256Hex(text));
  clean.forEach((text, i) => {
    if (!text) { results[i] = slimResult({}); return; }
    const hit = cache.get(keys.get(text));
    if (hit) results[i] = hit;
    else (missing.get(text) || missing.set(text, []).get(text)).push(i);
  });
  if (missing.size) {
    for (const part of chunk(Array.from(missing.keys()), LIMITS.MAX_BATCH)) {
      const body = await apiFetch('/v1/analyze', { method: 'POST', body: { texts: part, lang: 'auto', explain: true } });
      // an item the server could not score comes back as { error }: passed on, never cached
      for (const { text, result, cacheable } of readAnalysis(part, body)) {
        if (cacheable) cache.set(keys.get(text), result);
        for (const i of missing.get(text)) results[i] = result;
      }
    }
    await saveCache(cache);
  }
  return results;
}

// ---------------------------------------------------------------- local counters (today)
function today() { return new Date().toISOString().slice(0, 10); }
async function bumpCount(kind, n = 1) {
  const got = await chrome.storage.local.get(STORAGE.COUNTS);
  let c = got[STORAGE.COUNTS];
  if (!c || c.date !== today()) c = { date: today(), blurred: 0, folded: 0, nudged: 0 };
  c[kind] = (c[kind] || 0) + n;
  await chrome.storage.local.set({ [STORAGE.COUNTS]: c });
  return c;
}
async function localCounts() {
  const got = await chrome.storage.local.get(STORAGE.COUNTS);
  const c = got[STORAGE.COUNTS];
  return c && c.date === today() ? c : { date: today(), blurred: 0, folded: 0, nudged: 0 };
}

// ---------------------------------------------------------------- content scripts on granted sites
const DEFAULT_SERVER_PATTERNS = ['http://127.0.0.1:8731/*', 'http://localhost:8731/*'];
function serverPatterns(settings) {
  const pats = new Set(DEFAULT_SERVER_PATTERNS);
  try { pats.add(originPattern(settings.serverUrl)); } catch { /* bad URL */ }
  return pats;
}

/**
 * Sites are optional host permissions: whatever the user granted (popup: "Protect this site",
 * "Protect supported sites") gets the content script, registered here and kept by Chrome across
 * restarts. Called on install, start-up and every permission change.
 */
let contentScriptSync = Promise.resolve();
function syncContentScripts() {
  // One at a time: install, start-up and permission events can fire together, and two
  // overlapping runs would both see "not registered" and both register (duplicate id).
  const run = contentScriptSync.then(syncContentScriptsNow, syncContentScriptsNow);
  contentScriptSync = run.catch(() => {});
  return run;
}

async function syncContentScriptsNow() {
  const settings = await getSettings();
  const { origins = [] } = await chrome.permissions.getAll();
  const exclude = serverPatterns(settings);
  const matches = origins.filter((o) => !exclude.has(o));
  const existing = await chrome.scripting.getRegisteredContentScripts({ ids: [CONTENT_SCRIPT_ID] });
  if (!matches.length) {
    if (existing.length) await chrome.scripting.unregisterContentScripts({ ids: [CONTENT_SCRIPT_ID] });
    return [];
  }
  const script = {
    id: CONTENT_SCRIPT_ID,
    matches,
    js: ['content/bundle.js'], // one classic script built from content/main.js (tools/build_content.mjs)
    css: ['content/kindshield.css'],
    runAt: 'document_idle',
    allFrames: true, // embedded comment frames (Disqus) of granted sites
  };
  if (existing.length) await chrome.scripting.updateContentScripts([script]);
  else await chrome.scripting.registerContentScripts([{ ...script, persistAcrossSessions: true }]);
  return matches;
}

// ---------------------------------------------------------------- notices and notifications
async function checkNotices() {
  const settings = await getSettings();
  if (!settings.apiKey) return [];
  let body;
  try {
    body = await apiFetch('/v1/notices?unacked=true', { settings });
  } catch {
    return []; // down or refused: the badge and backoff already say so
  }
  const notices = (body && (body.notices || body.items)) || [];
  const got = await chrome.storage.local.get(STORAGE.NOTIFIED);
  const notified = new Set(got[STORAGE.NOTIFIED] || []);
  const fresh = notices.filter((n) => n && n.id != null && !n.acked && !n.acked_at && !notified.has(String(n.id)));
  const zh = settings.language === 'zh_CN' || (settings.language === 'auto' && /^zh/i.test(chrome.i18n.getUILanguage()));
  for (const n of fresh) {
    await chrome.notifications.create(`ks-notice:${n.id}`, {
      type: 'basic',
      iconUrl: chrome.runtime.getURL('icons/icon128.png'),
      title: n.title || t('noticeTitle'),
      message: (zh && n.message_zh) || n.message || t('noticeDefault'),
      priority: 2,
      requireInteraction: true,
    });
    notified.add(String(n.id));
  }
  if (fresh.length) {
    await chrome.storage.local.set({ [STORAGE.NOTIFIED]: Array.from(notified).slice(-500) });
  }
  return fresh;
}

async function openPopupOrTab(query = '') {
  try {
    if (chrome.action.openPopup) { await chrome.action.openPopup(); return; }
  } catch { /* no focused window or unsupported: fall back to a tab */ }
  await chrome.tabs.create({ url: chrome.runtime.getURL(`popup/popup.html${query}`) });
}

chrome.notifications.onClicked.addListener(async (notificationId) => {
  if (notificationId.startsWith('ks-notice:')) {
    const id = notificationId.slice('ks-notice:'.length);
    try { await apiFetch(`/v1/notices/${encodeURIComponent(id)}/ack`, { method: 'POST', body: {} }); } catch { /* keep going */ }
    await chrome.notifications.clear(notificationId);
    await openPopupOrTab(`?notice=${encodeURIComponent(id)}`);
  } else if (notificationId.startsWith('ks-report:')) {
    await chrome.notifications.clear(notificationId);
    await chrome.tabs.create({ url: chrome.runtime.getURL('dashboard/dashboard.html#reports') });
  }
});

// ---------------------------------------------------------------- report as harassment
async function captureScreenshot(tab) {
  try {
    const dataUrl = await chrome.tabs.captureVisibleTab(tab.windowId, { format: 'png' });
    const b64 = dataUrl.slice(dataUrl.indexOf(',') + 1);
    if (b64.length * 0.75 > LIMITS.SCREENSHOT_MAX_BYTES) return null;
    return b64;
  } catch {
    return null;
  }
}

async function askPageForContext(tab, frameId) {
  try {
    return await chrome.tabs.sendMessage(tab.id, { type: MSG.REPORT_CONTEXT }, { frameId: frameId ?? 0 });
  } catch {
    return null; // no content script on this page
  }
}

/**
 * File one report (text, where it was seen, who wrote it, the page around it and a screenshot)
 * and remember the outcome as the last report. Both ways in (the context menu and a label's
 * Report button) go through here.
 */
async function fileReport({ text, url, author, context, screenshot, revealed }) {
  const body = {
    text, url, author,
    seen_at: new Date().toISOString(),
    context: cleanText(context || '', 4000),
    category: 'harassment',
    note: '',
  };
  if (screenshot) body.screenshot = screenshot;
  // One key for every try: when the server committed but its answer was lost (a restart, a
  // timeout), the retry gets that report back instead of filing a second one.
  const headers = { 'Idempotency-Key': crypto.randomUUID() };
  let result; let error = null;
  try {
    result = await retrying(
      () => apiFetch('/v1/reports', { method: 'POST', body, bypassBackoff: true, headers }),
      { tries: LIMITS.REPORT_TRIES, isRetryable: (err) => err instanceof ApiError && err.unavailable });
  } catch (err) {
    error = err instanceof ApiError ? err.toJSON() : { message: String(err) };
  }
  const record = { at: Date.now(), url, ok: !error, error, id: result?.id ?? null, sha256: result?.sha256 ?? null, prev_sha256: result?.prev_sha256 ?? null, screenshot: Boolean(screenshot), revealed };
  await chrome.storage.local.set({ [STORAGE.LAST_REPORT]: record });
  return record;
}

/** The context-menu handler; also what end-to-end tests call (a native menu cannot be clicked headless). */
async function reportFromContextMenu(info, tab) {
  const page = (await askPageForContext(tab, info.frameId)) || {};
  const text = cleanText(info.selectionText || page.text || '', LIMITS.MAX_TEXT);
  const record = await fileReport({
    text: text || cleanText(tab.title || '', 500) || '(no text selected)',
    url: info.frameUrl || info.pageUrl || tab.url || '',
    author: page.author || '',
    context: page.context,
    screenshot: await captureScreenshot(tab),
    revealed: page.revealed ?? null,
  });
  const error = record.error;
  await chrome.notifications.create(`ks-report:${record.id ?? Date.now()}`, {
    type: 'basic',
    iconUrl: chrome.runtime.getURL('icons/icon128.png'),
    title: record.ok ? t('reportFiledTitle') : t('reportFailedTitle'),
    message: record.ok ? t('reportFiledMessage', [String(record.id), String(record.sha256).slice(0, 16)]) : (error.message || ''),
  });
  try { await chrome.tabs.sendMessage(tab.id, { type: MSG.REPORT_FILED, record }, { frameId: info.frameId ?? 0 }); } catch { /* page gone */ }
  return record;
}

function createMenus() {
  chrome.contextMenus.removeAll(() => {
    chrome.contextMenus.create({
      id: MENU_REPORT,
      title: t('menuReport'),
      contexts: ['selection', 'page', 'link', 'image'],
      documentUrlPatterns: ['http://*/*', 'https://*/*'],
    });
  });
}

chrome.contextMenus.onClicked.addListener((info, tab) => {
  if (info.menuItemId === MENU_REPORT && tab) reportFromContextMenu(info, tab);
});

// ---------------------------------------------------------------- messages
function isExtensionPage(sender) {
  return sender.id === chrome.runtime.id && typeof sender.url === 'string' && sender.url.startsWith(chrome.runtime.getURL('')) && !sender.tab?.url?.startsWith('http');
}

async function pageState(sender) {
  const settings = await getSettings();
  const url = sender.tab?.url || sender.url || '';
  let host = '';
  try { host = new URL(url).hostname; } catch { /* about:blank */ }
  const paused = hostMatches(host, settings.pausedSites) || hostMatches(host, settings.allowSites);
  const backoff = await getBackoff();
  return {
    active: settings.enabled && !paused && Boolean(settings.apiKey),
    paused,
    enabled: settings.enabled,
    sensitivity: settings.sensitivity,
    hideSwearing: settings.hideSwearing,
    nudge: settings.nudge,
    shieldMessages: settings.shieldMessages,
    testMode: settings.testMode,
    language: settings.language,
    serverDown: isDown(backoff),
    hideAllOffline: settings.hideAllOffline,
    muted: mutedOn((await chrome.storage.local.get(STORAGE.MUTED))[STORAGE.MUTED], siteKey(host)),
  };
}

async function status() {
  const settings = await getSettings();
  const backoff = await getBackoff();
  const out = {
    serverUrl: settings.serverUrl,
    hasKey: Boolean(settings.apiKey),
    enabled: settings.enabled,
    sensitivity: settings.sensitivity,
    pausedSites: settings.pausedSites,
    serverDown: isDown(backoff),
    local: await localCounts(),
    protection: null,
    today: null,
    error: null,
  };
  if (!settings.apiKey) return out;
  try {
    out.protection = await apiFetch('/v1/protection', { settings, bypassBackoff: true });
    const stats = await apiFetch('/v1/stats?days=1', { settings, bypassBackoff: true });
    out.today = todayFromStats(stats);
    out.serverDown = false;
  } catch (err) {
    out.error = err instanceof ApiError ? err.toJSON() : { message: String(err) };
    out.serverDown = err instanceof ApiError ? err.unavailable : true;
  }
  return out;
}

// ---------------------------------------------------------------- issue 36: evidence, muting, pages
/** The Report button on a label: the page has already revealed the comment; capture and file. */
async function reportItem(m, sender) {
  const tab = sender.tab;
  return fileReport({
    text: cleanText(String(m.text || ''), LIMITS.MAX_TEXT) || '(no text)',
    url: String(sender.url || m.url || ''),
    author: cleanText(String(m.author || ''), 200),
    context: String(m.context || ''),
    screenshot: tab ? await captureScreenshot(tab) : null,
    revealed: Boolean(m.revealed),
  });
}

async function muteAccount(m, sender) {
  let host = '';
  try { host = siteKey(new URL(sender.tab?.url || sender.url || '').hostname); } catch { /* no page */ }
  if (!host || typeof m.author !== 'string') return { muted: [] };
  const got = await chrome.storage.local.get(STORAGE.MUTED);
  const next = setMuted(got[STORAGE.MUTED], host, m.author.slice(0, 200), Boolean(m.muted));
  await chrome.storage.local.set({ [STORAGE.MUTED]: next });
  return { muted: mutedOn(next, host) };
}

const PAGES = { settings: 'options/options.html', dashboard: 'dashboard/dashboard.html#reports', welcome: 'welcome/welcome.html' };
async function openPage(m) {
  const path = PAGES[m.page];
  if (!path) return { opened: false };
  if (m.page === 'settings') await chrome.runtime.openOptionsPage();
  else await chrome.tabs.create({ url: chrome.runtime.getURL(path) });
  return { opened: true };
}

async function pageCount(m) {
  const tabId = Number(m.tabId);
  if (!Number.isInteger(tabId)) return { hidden: null };
  try {
    return await chrome.tabs.sendMessage(tabId, { type: MSG.PAGE_COUNT }, { frameId: 0 });
  } catch {
    return { hidden: null }; // Kindshield does not run on that page
  }
}

/** Welcome page: pair with a code, then store the address and the key this browser received. */
async function pairWithCode(m) {
  const result = await pair({ serverUrl: m.serverUrl, code: m.code, name: 'browser' });
  if (!result.ok) return result;
  await updateSettings({ serverUrl: result.serverUrl, apiKey: result.key });
  forgetHealth();
  await syncContentScripts();
  return { ok: true, serverUrl: result.serverUrl };
}

function todayFromStats(stats) {
  if (!stats) return null;
  const days = stats.days || stats.daily || [];
  const last = Array.isArray(days) && days.length ? days[days.length - 1] : null;
  return last || stats.totals || null;
}

/** Check a server URL and key before the options page stores them. */
async function checkServer({ serverUrl, apiKey }) {
  const settings = normalizeSettings({ ...DEFAULT_SETTINGS, serverUrl, apiKey });
  if (settings.serverUrl !== serverUrl.replace(/\/+$/, '')) {
    return { ok: false, code: 'bad_url' };
  }
  try {
    await apiFetch('/healthz', { settings, bypassBackoff: true, auth: false, timeoutMs: 8000 });
  } catch {
    return { ok: false, code: 'unreachable' };
  }
  if (!apiKey) return { ok: false, code: 'no_api_key' };
  try {
    await apiFetch('/v1/protection', { settings, bypassBackoff: true, timeoutMs: 8000 });
  } catch (err) {
    if (err instanceof ApiError && (err.status === 401 || err.status === 403)) return { ok: false, code: 'bad_key' };
    return { ok: false, code: 'unreachable' };
  }
  return { ok: true };
}

/** Change settings; an `apiKey` in the patch goes to the key store, never to chrome.storage.local. */
async function updateSettings(patch) {
  const { apiKey, ...rest } = patch || {};
  if (typeof apiKey === 'string') await saveApiKey(apiKey);
  const got = await chrome.storage.local.get(STORAGE.SETTINGS);
  const next = storedSettings({ ...normalizeSettings(got[STORAGE.SETTINGS]), ...rest });
  await chrome.storage.local.set({ [STORAGE.SETTINGS]: next });
  return next;
}

const handlers = {
  [MSG.ANALYZE]: async (m) => ({ results: await analyze(Array.isArray(m.texts) ? m.texts.slice(0, 1024) : []) }),
  [MSG.PRECHECK]: async (m) => apiFetch('/v1/precheck', { method: 'POST', body: { text: cleanText(String(m.text || ''), LIMITS.MAX_TEXT), lang: m.lang || 'auto' } }),
  [MSG.PRECHECK_OUTCOME]: async (m) => {
    const r = await apiFetch('/v1/precheck/outcome', { method: 'POST', body: { nudge_id: m.nudge_id, outcome: m.outcome }, bypassBackoff: true });
    if (m.outcome === 'edited') await bumpCount('nudged');
    return r ?? { ok: true };
  },
  [MSG.SHIELD]: async (m) => apiFetch('/v1/shield', { method: 'POST', body: { messages: (m.messages || []).slice(0, LIMITS.MAX_BATCH) } }),
  [MSG.PAGE_STATE]: async (m, sender) => pageState(sender),
  [MSG.COUNT_FOLDED]: async (m) => bumpCount(m.kind === 'folded' ? 'folded' : 'blurred', Math.max(0, Math.min(500, Number(m.n) || 0))),

  [MSG.PAGE_EMBEDS]: async (m, sender) => {
    // a page's comment frames (Disqus): kept per tab for the popup; only known embed origins
    const tabId = sender.tab && sender.tab.id;
    if (tabId === undefined || sender.frameId) return { stored: false };
    const got = await chrome.storage.session.get(STORAGE.EMBEDS);
    const all = got[STORAGE.EMBEDS] || {};
    all[String(tabId)] = knownEmbedOrigins(m.origins);
    await chrome.storage.session.set({ [STORAGE.EMBEDS]: all });
    return { stored: true };
  },
  [MSG.EMBEDS_GET]: async (m) => {
    const got = await chrome.storage.session.get(STORAGE.EMBEDS);
    return { origins: ((got[STORAGE.EMBEDS] || {})[String(m.tabId)]) || [] };
  },
  [MSG.STATUS]: async () => status(),
  [MSG.PROTECTION_GET]: async () => apiFetch('/v1/protection', { bypassBackoff: true }),
  [MSG.PROTECTION_PUT]: async (m) => apiFetch('/v1/protection', { method: 'PUT', body: m.settings || {}, bypassBackoff: true }),
  [MSG.ONE_CLICK_ON]: async (m) => {
    const hours = DURATIONS.includes(Number(m.duration_hours)) ? Number(m.duration_hours) : 168;
    return apiFetch('/v1/protection/one-click', { method: 'POST', body: { duration_hours: hours }, bypassBackoff: true });
  },
  [MSG.ONE_CLICK_OFF]: async () => apiFetch('/v1/protection/one-click', { method: 'DELETE', bypassBackoff: true }),
  [MSG.STATS]: async (m) => apiFetch(`/v1/stats?days=${Math.max(1, Math.min(365, Number(m.days) || 30))}`, { bypassBackoff: true }),
  [MSG.NOTICES]: async () => apiFetch('/v1/notices', { bypassBackoff: true }),
  [MSG.NOTICE_ACK]: async (m) => apiFetch(`/v1/notices/${encodeURIComponent(m.id)}/ack`, { method: 'POST', body: {}, bypassBackoff: true }),
  [MSG.REPORTS_LIST]: async () => apiFetch('/v1/reports', { bypassBackoff: true }),
  [MSG.REPORTS_VERIFY]: async () => apiFetch('/v1/reports/verify', { bypassBackoff: true }),
  [MSG.REPORTS_EXPORT]: async (m) => ({
    format: m.format === 'csv' ? 'csv' : 'json',
    body: await apiFetch(`/v1/reports/export?format=${m.format === 'csv' ? 'csv' : 'json'}`, { bypassBackoff: true, raw: true }),
  }),
  [MSG.CHECK_SERVER]: async (m) => checkServer(m),
  [MSG.SET_SITE_PAUSED]: async (m) => {
    const s = await getSettings();
    const host = siteKey(m.host);
    const set = new Set(s.pausedSites.map(siteKey));
    if (m.paused) set.add(host); else set.delete(host);
    return updateSettings({ pausedSites: Array.from(set).filter(Boolean) });
  },
  [MSG.ENABLE_SITE]: async () => ({ matches: await syncContentScripts() }),
  [MSG.HEALTH]: async (m) => ({ health: await serverHealth({ fresh: Boolean(m.fresh) }) }),
  [MSG.OPEN_PAGE]: async (m) => openPage(m),
  [MSG.REPORT_ITEM]: async (m, sender) => reportItem(m, sender),
  [MSG.MUTE_ACCOUNT]: async (m, sender) => muteAccount(m, sender),
  [MSG.PAGE_COUNT]: async (m) => pageCount(m),
  [MSG.DISCOVER]: async (m) => discover({ typed: m.serverUrl, stored: (await getSettings()).serverUrl }),
  [MSG.PAIR]: async (m) => pairWithCode(m),
  [MSG.REPORT_GET]: async (m) => apiFetch(`/v1/reports/${encodeURIComponent(String(m.id))}`, { bypassBackoff: true }),
};

chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  const type = message && message.type;
  const handler = handlers[type];
  if (!handler || sender.id !== chrome.runtime.id) return false;
  if (!CONTENT_MESSAGES.has(type) && !isExtensionPage(sender)) {
    sendResponse({ ok: false, error: { status: 403, code: 'forbidden', message: 'not allowed from a web page' } });
    return false;
  }
  handler(message, sender).then(
    (data) => sendResponse({ ok: true, data }),
    (err) => {
      // a refused key is remembered, so every tab's banner and the popup say so until it is fixed
      if (err instanceof ApiError && err.status === 401 && err.code !== 'no_api_key') getSettings().then((s) => noteKeyState(s.apiKey, 'rejected')).catch(() => {});
      sendResponse({ ok: false, error: err instanceof ApiError ? err.toJSON() : { status: 0, code: 'error', message: String(err && err.message || err) } });
    },
  );
  return true; // async response
});

// ---------------------------------------------------------------- alarms and life cycle
chrome.alarms.onAlarm.addListener(async (alarm) => {
  if (alarm.name === ALARMS.NOTICES) {
    await checkNotices();
  } else if (alarm.name === ALARMS.HEALTH) {
    const up = await probeHealth();
    if (up) await showHealth(await getBackoff());
  }
});

async function setUp() {
  createMenus();
  const a = await chrome.alarms.get(ALARMS.NOTICES);
  if (!a) await chrome.alarms.create(ALARMS.NOTICES, { periodInMinutes: NOTICE_PERIOD_MIN, delayInMinutes: 0.5 });
  await syncContentScripts();
  await showHealth(await getBackoff());
}

// The key: content scripts never reach the session area; a key an earlier version kept in
// chrome.storage.local moves to the key store at once (every start, and whenever one appears there).
const keyReady = lockSessionStorage().then(() => migrateApiKey()).then(() => warmApiKey()).catch(() => false);
chrome.storage.onChanged.addListener((changes, area) => {
  const s = area === 'local' && changes[STORAGE.SETTINGS] && changes[STORAGE.SETTINGS].newValue;
  if (s && typeof s === 'object' && 'apiKey' in s) migrateApiKey().catch(() => {});
});

chrome.runtime.onInstalled.addListener(async (details) => {
  await keyReady;
  const got = await chrome.storage.local.get(STORAGE.SETTINGS);
  if (!got[STORAGE.SETTINGS]) await chrome.storage.local.set({ [STORAGE.SETTINGS]: storedSettings(DEFAULT_SETTINGS) });
  await setUp();
  // a first install opens the welcome page: it finds the server and pairs by code
  if (details && details.reason === 'install') await chrome.tabs.create({ url: chrome.runtime.getURL('welcome/welcome.html') });
});
chrome.runtime.onStartup.addListener(setUp);
chrome.permissions.onAdded.addListener(() => syncContentScripts());
chrome.permissions.onRemoved.addListener(() => syncContentScripts());

// Exposed for end-to-end tests (sw.evaluate) and debugging from the worker's console.
globalThis.kindshield = { reportFromContextMenu, checkNotices, syncContentScripts, analyze, status, updateSettings, serverHealth, loadApiKey, saveApiKey };
