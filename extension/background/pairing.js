// Onboarding without a terminal: find a Kindshield server (the address typed, the stored one,
// this computer's default) and exchange a one-time pairing code for a key of this browser's own.
// Plain fetches on purpose: a failed probe while setting up is not an outage (no backoff, no badge).

import { candidateServers, normalizeCode } from '../lib/pairing.js';
import { normalizeServerUrl } from '../lib/messages.js';

const PROBE_TIMEOUT_MS = 3000;

async function fetchJson(url, init = {}, timeoutMs = PROBE_TIMEOUT_MS) {
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), timeoutMs);
  try {
    const resp = await fetch(url, { ...init, signal: ctrl.signal, credentials: 'omit', cache: 'no-store' });
    let body = null;
    try { body = await resp.json(); } catch { /* not JSON */ }
    return { status: resp.status, body };
  } finally {
    clearTimeout(timer);
  }
}

/** The first candidate whose /healthz answers {status: "ok"}: { found: url | null, tried: [...] }. */
export async function discover({ typed, stored } = {}) {
  const tried = candidateServers(typed, stored);
  for (const url of tried) {
    try {
      const { status, body } = await fetchJson(`${url}/healthz`);
      if (status === 200 && body && body.status === 'ok') return { found: url, tried };
    } catch { /* not there */ }
  }
  return { found: null, tried };
}

/** POST /v1/pair: { ok, key } or { ok: false, code } ('bad_code' | 'unreachable' | 'bad_url'). */
export async function pair({ serverUrl, code, name = 'browser' }) {
  const url = normalizeServerUrl(serverUrl || '');
  if (!url) return { ok: false, code: 'bad_url' };
  const typed = normalizeCode(code);
  if (!typed) return { ok: false, code: 'bad_code' };
  let resp;
  try {
    resp = await fetchJson(`${url}/v1/pair`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ code: typed, name }),
    }, 10000);
  } catch {
    return { ok: false, code: 'unreachable' };
  }
  if (resp.status === 201 && resp.body && typeof resp.body.key === 'string') return { ok: true, key: resp.body.key, serverUrl: url };
  if (resp.status === 403 || resp.status === 400) return { ok: false, code: 'bad_code' };
  return { ok: false, code: resp.status === 404 ? 'old_server' : 'unreachable' };
}
