// Is the server answering, and does it accept our key? One real, authenticated call
// (GET /v1/protection), shared by every tab's heartbeat for HEALTH_CACHE_MS.

import { ApiError, apiFetch, getSettings } from './api.js';
import { HEALTH } from '../lib/health.js';

const HEALTH_CACHE_MS = 3000;
const HEALTH_TIMEOUT_MS = 4000;
let last = { at: 0, health: null, pending: null };

export async function serverHealth({ fresh = false } = {}) {
  const now = Date.now();
  if (!fresh && last.health && now - last.at < HEALTH_CACHE_MS) return last.health;
  if (last.pending) return last.pending;
  last.pending = (async () => {
    const settings = await getSettings();
    let health = HEALTH.OK;
    if (!settings.apiKey) health = HEALTH.NO_KEY;
    else {
      try {
        await apiFetch('/v1/protection', { settings, bypassBackoff: true, timeoutMs: HEALTH_TIMEOUT_MS });
      } catch (err) {
        if (err instanceof ApiError && (err.status === 401 || err.status === 403)) health = HEALTH.BAD_KEY;
        else if (!(err instanceof ApiError) || err.unavailable || err.status === 0) health = HEALTH.OFFLINE;
      }
    }
    last = { at: Date.now(), health, pending: null };
    return health;
  })();
  try {
    return await last.pending;
  } finally {
    last.pending = null;
  }
}

/** Forget the cached answer (settings changed, a request just failed). */
export function forgetHealth() {
  last = { at: 0, health: null, pending: null };
}
