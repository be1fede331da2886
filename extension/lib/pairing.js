// Finding the person's server and pairing by code: pure helpers for the welcome page and worker.

import { DEFAULT_SETTINGS, normalizeServerUrl } from './messages.js';

/** Addresses to try, in order: the one typed, the stored one, then this computer's defaults. */
export function candidateServers(typed, stored) {
  const out = [];
  for (const u of [typed, stored, DEFAULT_SETTINGS.serverUrl, 'http://localhost:8731']) {
    const n = normalizeServerUrl(u || '');
    if (n && !out.includes(n)) out.push(n);
  }
  return out;
}

/** "abcd efgh" / "ABCD-EFGH" -> "ABCD-EFGH"; null when it cannot be a code. */
export function normalizeCode(raw) {
  const s = String(raw || '').toUpperCase().replace(/[^A-Z0-9]/g, '');
  if (s.length !== 8) return null;
  return `${s.slice(0, 4)}-${s.slice(4)}`;
}
