// Is the server answering, and does it accept our key? The heartbeat of every tab lands here,
// shared for HEALTH_CACHE_MS. Reachability is an unauthenticated GET /healthz; the key is checked
// with an authenticated call only while its state is unknown (first time, settings changed) or
// known to be refused (to notice the fix), so a healthy browser costs the server no database work.
// The key's state survives the worker being stopped (chrome.storage.session, a digest, never the key).

import { ApiError, apiFetch, getSettings } from './api.js';
import { HEALTH } from '../lib/health.js';
import { STORAGE } from '../lib/messages.js';
import { sha256Hex } from '../lib/digest.js';

const HEALTH_CACHE_MS = 3000;
const HEALTH_TIMEOUT_MS = 4000;
let last = { at: 0, health: null };
let pending = null;

async function fingerprint(apiKey) {
  return (await sha256Hex(`kindshield-key:${apiKey}`)).slice(0, 16);
}

/** Remember what the server said about this key ('ok' | 'rejected'). */
export async function noteKeyState(apiKey, state) {
  if (!apiKey) return;
  await chrome.storage.session.set({ [STORAGE.KEY_STATE]: { key: await fingerprint(apiKey), state } });
  last = { at: 0, health: null };
}

async function knownKeyState(apiKey) {
  const got = (await chrome.storage.session.get(STORAGE.KEY_STATE))[STORAGE.KEY_STATE];
  return got && got.key === await fingerprint(apiKey) ? got.state : null;
}

async function check() {
  const settings = await getSettings();
  if (!settings.apiKey) return HEALTH.NO_KEY;
  try {
    await apiFetch('/healthz', { settings, bypassBackoff: true, auth: false, timeoutMs: HEALTH_TIMEOUT_MS });
  } catch {
    return HEALTH.OFFLINE;
  }
  if (await knownKeyState(settings.apiKey) === 'ok') return HEALTH.OK;
  try {
    await apiFetch('/v1/protection', { settings, bypassBackoff: true, timeoutMs: HEALTH_TIMEOUT_MS });
    await noteKeyState(settings.apiKey, 'ok');
    return HEALTH.OK;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      await noteKeyState(settings.apiKey, 'rejected');
      return HEALTH.BAD_KEY;
    }
    return err instanceof ApiError && !err.unavailable ? HEALTH.OK : HEALTH.OFFLINE;
  }
}

export async function serverHealth({ fresh = false } = {}) {
  if (!fresh && last.health && Date.now() - last.at < HEALTH_CACHE_MS) return last.health;
  if (!pending) {
    pending = check().then((health) => {
      last = { at: Date.now(), health };
      return health;
    }).finally(() => { pending = null; });
  }
  return pending;
}

/** Forget the cached answer (settings changed). */
export function forgetHealth() {
  last = { at: 0, health: null };
}
