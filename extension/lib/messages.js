// Message names, storage keys and defaults shared by every part of the extension.
// Plain data only: imported by the service worker, the content scripts, the pages and node tests.

export const MSG = Object.freeze({
  // content script -> service worker
  ANALYZE: 'ks:analyze',
  PRECHECK: 'ks:precheck',
  PRECHECK_OUTCOME: 'ks:precheck-outcome',
  SHIELD: 'ks:shield',
  PAGE_STATE: 'ks:page-state',
  COUNT_FOLDED: 'ks:count-folded',
  PAGE_EMBEDS: 'ks:page-embeds',
  // service worker -> content script
  REPORT_CONTEXT: 'ks:report-context',
  REPORT_FILED: 'ks:report-filed',
  // extension pages -> service worker
  STATUS: 'ks:status',
  PROTECTION_GET: 'ks:protection-get',
  PROTECTION_PUT: 'ks:protection-put',
  ONE_CLICK_ON: 'ks:one-click-on',
  ONE_CLICK_OFF: 'ks:one-click-off',
  STATS: 'ks:stats',
  NOTICES: 'ks:notices',
  NOTICE_ACK: 'ks:notice-ack',
  REPORTS_LIST: 'ks:reports-list',
  REPORTS_VERIFY: 'ks:reports-verify',
  REPORTS_EXPORT: 'ks:reports-export',
  CHECK_SERVER: 'ks:check-server',
  SET_SITE_PAUSED: 'ks:set-site-paused',
  ENABLE_SITE: 'ks:enable-site',
  EMBEDS_GET: 'ks:embeds-get',
  // issue 36: never silent, pairing, evidence, muting, page counts
  HEALTH: 'ks:health',                 // content/pages -> worker: is the server answering, is the key accepted?
  OPEN_PAGE: 'ks:open-page',           // content -> worker: open settings / welcome / dashboard
  REPORT_ITEM: 'ks:report-item',       // content -> worker: the Report button on a label
  MUTE_ACCOUNT: 'ks:mute-account',     // content -> worker: mute / unmute an author on this site
  PAGE_COUNT: 'ks:page-count',         // worker/popup -> content: how many are hidden on this page
  DISCOVER: 'ks:discover',             // welcome -> worker: find a server
  PAIR: 'ks:pair',                     // welcome -> worker: exchange a one-time code for a key
  REPORT_GET: 'ks:report-get',         // dashboard -> worker: one report with its screenshot
  // issue 32: the popup asks the page's content script to let the person pick a comment / a non-comment region
  PICK_START: 'ks:pick-start',         // popup -> content (top frame): { mode: 'comment' | 'exclude' }
});

// Messages a content script (a web page's context) may send. Everything else is refused
// unless the sender is one of the extension's own pages.
export const CONTENT_MESSAGES = Object.freeze(new Set([
  MSG.ANALYZE, MSG.PRECHECK, MSG.PRECHECK_OUTCOME, MSG.SHIELD, MSG.PAGE_STATE, MSG.COUNT_FOLDED, MSG.PAGE_EMBEDS,
  MSG.HEALTH, MSG.OPEN_PAGE, MSG.REPORT_ITEM, MSG.MUTE_ACCOUNT,
]));

export const STORAGE = Object.freeze({
  // chrome.storage.local (survives restarts)
  SETTINGS: 'settings',
  NOTIFIED: 'notifiedNotices',
  COUNTS: 'localCounts',
  LAST_REPORT: 'lastReport',
  MUTED: 'mutedAccounts', // { site: [author, ...] }: muted from a label, listed in the options
  KEY_MARK: 'keyMark',    // { fingerprint }: a digest of the API key, never the key (background/keystore.js)
  PICKED: 'pickedSelectors', // { origin: { comments: [{item, text}], exclude: [...] } }: lib/picker.js, listed in the options
  // chrome.storage.session (survives service-worker termination, not a browser restart)
  BACKOFF: 'backoff',
  CACHE: 'analyzeCache',
  HEALTH: 'serverHealth',
  KEY_STATE: 'keyState',  // 'ok' | 'rejected': what the server said about the key last time
  EMBEDS: 'pageEmbeds',   // tab id -> origins of comment frames (Disqus) seen on that tab's page
  API_KEY: 'apiKey',      // the live copy of the key (trusted contexts only; IndexedDB holds the lasting one)
});

export const ALARMS = Object.freeze({
  NOTICES: 'ks-notices',
  HEALTH: 'ks-health',
});

export const MENU_REPORT = 'ks-report-harassment';

export const DURATIONS = Object.freeze([24, 72, 168, 720]);
export const SENSITIVITIES = Object.freeze(['relaxed', 'standard', 'strict']);
export const LANGUAGES = Object.freeze(['auto', 'en', 'zh_CN']);

export const DEFAULT_SETTINGS = Object.freeze({
  serverUrl: 'http://127.0.0.1:8731',
  apiKey: '',             // in memory only: stored by background/keystore.js, never in chrome.storage.local
  enabled: true,
  sensitivity: 'standard',
  language: 'auto',
  pausedSites: [],        // hostnames where the user paused Kindshield
  allowSites: [],         // hostnames never touched (options page allow-list)
  enabledOrigins: [],     // extra origin match patterns where the generic adapter runs
  shieldMessages: true,
  nudge: true,
  hideSwearing: false,    // opt-in: also hide swearing aimed at no one (server: hide_swearing)
  hideAllOffline: false,  // while the server cannot be reached, hide every comment on protected sites
  testMode: false,        // lets a page declare the site markup it mimics (end-to-end tests only)
});

export const LIMITS = Object.freeze({
  MAX_BATCH: 256,
  MAX_TEXT: 20000,
  MIN_TEXT: 2,
  BATCH_DELAY_MS: 120,
  CACHE_ENTRIES: 2000,
  CACHE_TTL_MS: 6 * 60 * 60 * 1000,
  REQUEST_TIMEOUT_MS: 15000,
  // tries to file one report while the server is down or answers 502/503/504 (same Idempotency-Key)
  REPORT_TRIES: 3,
  SCREENSHOT_MAX_BYTES: 5 * 1024 * 1024,
});

/** Merge stored settings over the defaults, dropping unknown keys and bad values. */
export function normalizeSettings(stored) {
  const s = { ...DEFAULT_SETTINGS };
  if (!stored || typeof stored !== 'object') return s;
  for (const key of Object.keys(DEFAULT_SETTINGS)) {
    if (!(key in stored)) continue;
    const def = DEFAULT_SETTINGS[key];
    const val = stored[key];
    if (Array.isArray(def)) {
      if (Array.isArray(val)) s[key] = val.filter((v) => typeof v === 'string' && v.length > 0);
    } else if (typeof val === typeof def) {
      s[key] = val;
    }
  }
  if (!SENSITIVITIES.includes(s.sensitivity)) s.sensitivity = DEFAULT_SETTINGS.sensitivity;
  if (!LANGUAGES.includes(s.language)) s.language = DEFAULT_SETTINGS.language;
  s.serverUrl = normalizeServerUrl(s.serverUrl) || DEFAULT_SETTINGS.serverUrl;
  return s;
}

/** What goes to chrome.storage.local: the settings without the API key. */
export function storedSettings(settings) {
  const { apiKey, ...rest } = normalizeSettings(settings); // eslint-disable-line no-unused-vars
  return rest;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** "https://host:port/" -> "https://host:port"; null unless https, or http to a loopback address. */
export function normalizeServerUrl(value) {
  if (typeof value !== 'string') return null;
  let u;
  try { u = new URL(value.trim()); } catch { return null; }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
  // the API key travels in every request: plain http only to this machine
  if (u.protocol === 'http:' && !LOOPBACK_HOSTS.has(u.hostname)) return null;
  if (u.username || u.password || u.search || u.hash) return null;
  const path = u.pathname.replace(/\/+$/, '');
  return `${u.protocol}//${u.host}${path}`;
}

/** The host-permission match pattern for a server URL ("http://h:1/x" -> "http://h:1/*"). */
export function originPattern(url) {
  const u = new URL(url);
  return `${u.protocol}//${u.host}/*`;
}
