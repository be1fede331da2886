// The extension's only network client. Every call reads the settings from chrome.storage,
// honours the shared backoff (kept in chrome.storage.session so a terminated worker forgets
// nothing) and turns the server's JSON errors into ApiError.

import { STORAGE, LIMITS, normalizeSettings } from '../lib/messages.js';
import { canAttempt, recordFailure, recordSuccess, parseRetryAfter, initialBackoff } from '../lib/backoff.js';
import { loadApiKey, migrateApiKey } from './keystore.js';

export class ApiError extends Error {
  constructor(status, code, message, details = null, retryAfterMs = 0) {
    super(message || code || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;          // 0 when the server could not be reached
    this.code = code || 'error';
    this.details = details;
    this.retryAfterMs = retryAfterMs;   // from the answer's Retry-After (0: none)
  }

  /** The server is down or unreachable (as opposed to refusing this request). */
  get unavailable() {
    return this.status === 0 || this.status === 502 || this.status === 503 || this.status === 504 || this.code === 'backoff';
  }

  toJSON() {
    return { status: this.status, code: this.code, message: this.message, details: this.details };
  }
}

/** The settings from chrome.storage.local with the API key from the key store (keystore.js). */
export async function getSettings() {
  let got = await chrome.storage.local.get(STORAGE.SETTINGS);
  if (got[STORAGE.SETTINGS] && 'apiKey' in got[STORAGE.SETTINGS]) { // an old or careless writer: move the key out
    await migrateApiKey();
    got = await chrome.storage.local.get(STORAGE.SETTINGS);
  }
  return { ...normalizeSettings(got[STORAGE.SETTINGS]), apiKey: await loadApiKey() };
}

export async function getBackoff() {
  const got = await chrome.storage.session.get(STORAGE.BACKOFF);
  return got[STORAGE.BACKOFF] || initialBackoff();
}

// Listeners told when the server goes down or comes back (badge, alarms).
const healthListeners = new Set();
export function onHealthChange(fn) { healthListeners.add(fn); }

async function setBackoff(state) {
  const before = await getBackoff();
  await chrome.storage.session.set({ [STORAGE.BACKOFF]: state });
  const wasDown = before.failures > 0;
  const isDown = state.failures > 0;
  if (wasDown !== isDown || isDown) for (const fn of healthListeners) await fn(state, wasDown);
}

/**
 * Call the server. `opts.bypassBackoff` is for health probes and explicit user actions
 * (saving options), which should try now even while background traffic backs off.
 * `opts.headers`: this call's own headers (a report's Idempotency-Key).
 */
export async function apiFetch(path, { method = 'GET', body, settings, bypassBackoff = false, raw = false, timeoutMs = LIMITS.REQUEST_TIMEOUT_MS, auth = true, headers: extraHeaders = {} } = {}) {
  const s = settings || await getSettings();
  const now = Date.now();
  if (!bypassBackoff) {
    const b = await getBackoff();
    if (!canAttempt(b, now)) {
      throw new ApiError(0, 'backoff', 'The Kindshield server is unreachable; waiting before the next try.', { retry_at: b.nextAttemptAt });
    }
  }
  if (auth && !s.apiKey) throw new ApiError(401, 'no_api_key', 'No API key is set in the options.');

  const headers = { ...extraHeaders, Accept: raw ? '*/*' : 'application/json' };
  if (auth) headers.Authorization = `Bearer ${s.apiKey}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';

  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), timeoutMs);
  let resp;
  try {
    resp = await fetch(`${s.serverUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: ctrl.signal,
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch (err) {
    clearTimeout(timer);
    await setBackoff(recordFailure(await getBackoff(), Date.now(), { error: err && err.name === 'AbortError' ? 'timeout' : 'network' }));
    throw new ApiError(0, 'unreachable', 'The Kindshield server could not be reached.');
  }
  clearTimeout(timer);

  const retryAfterMs = parseRetryAfter(resp.headers.get('Retry-After'));
  if (resp.status === 429 || resp.status >= 500) {
    await setBackoff(recordFailure(await getBackoff(), Date.now(), { error: `http_${resp.status}`, retryAfterMs }));
  } else {
    const b = await getBackoff();
    if (b.failures > 0) await setBackoff(recordSuccess());
  }

  if (!resp.ok) {
    let code = `http_${resp.status}`; let message = `HTTP ${resp.status}`; let details = null;
    try {
      const j = await resp.json();
      if (j && j.error) { code = j.error.code || code; message = j.error.message || message; details = j.error.details ?? null; }
    } catch { /* not JSON */ }
    throw new ApiError(resp.status, code, message, details, retryAfterMs);
  }
  if (raw) return resp.text();
  if (resp.status === 204) return null;
  return resp.json();
}

/** Probe /healthz without auth and without the backoff gate; updates the backoff state. */
export async function probeHealth(settings) {
  try {
    await apiFetch('/healthz', { settings, bypassBackoff: true, auth: false, timeoutMs: 5000 });
    return true;
  } catch {
    return false;
  }
}
