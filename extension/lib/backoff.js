// Exponential backoff with equal jitter (half fixed, half random), as plain serialisable state so the service worker
// can keep it in chrome.storage.session and lose nothing when it is terminated.

export const BACKOFF_DEFAULTS = Object.freeze({ baseMs: 1000, maxMs: 5 * 60 * 1000, factor: 2 });

export function initialBackoff() {
  return { failures: 0, nextAttemptAt: 0, lastError: null, downSince: null };
}

/** Delay before the next attempt after `failures` consecutive failures (without jitter). */
export function backoffDelay(failures, opts = BACKOFF_DEFAULTS) {
  if (failures <= 0) return 0;
  const { baseMs, maxMs, factor } = { ...BACKOFF_DEFAULTS, ...opts };
  const d = baseMs * Math.pow(factor, Math.min(failures - 1, 30));
  return Math.min(maxMs, d);
}

/**
 * State after a failed request. `retryAfterMs` (from a Retry-After header) wins when larger.
 * `random` is injectable for tests; jitter keeps the delay within [delay/2, delay].
 */
export function recordFailure(state, now, { error = 'error', retryAfterMs = 0, random = Math.random, opts } = {}) {
  const failures = (state?.failures || 0) + 1;
  const delay = backoffDelay(failures, opts);
  const jittered = Math.round(delay / 2 + random() * (delay / 2));
  const wait = Math.max(jittered, retryAfterMs || 0);
  return {
    failures,
    nextAttemptAt: now + wait,
    lastError: String(error),
    downSince: state?.downSince ?? now,
  };
}

export function recordSuccess() {
  return initialBackoff();
}

/** May a request go out now? */
export function canAttempt(state, now) {
  return !state || !state.nextAttemptAt || now >= state.nextAttemptAt;
}

export function isDown(state) {
  return Boolean(state && state.failures > 0);
}

/** Parse a Retry-After header (seconds or an HTTP date) into milliseconds. */
export function parseRetryAfter(value, now = Date.now()) {
  if (value == null || value === '') return 0;
  const secs = Number(value);
  if (Number.isFinite(secs)) return Math.max(0, Math.round(secs * 1000));
  const t = Date.parse(value);
  return Number.isFinite(t) ? Math.max(0, t - now) : 0;
}

/**
 * Run `attempt()` up to `tries` times while it fails with an error `isRetryable(err)` accepts,
 * waiting between tries the backoff delay or the error's `retryAfterMs`, whichever is longer,
 * capped at `maxWaitMs`. Only for calls that are safe to send again: filing a report is,
 * because every try carries the same Idempotency-Key (the server files it once).
 * `sleep` is injectable for tests.
 */
export async function retrying(attempt, { tries = 3, isRetryable = () => false, baseMs = 1000, maxWaitMs = 10000,
  sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms)) } = {}) {
  for (let i = 1; ; i += 1) {
    try {
      return await attempt(i);
    } catch (err) {
      if (i >= tries || !isRetryable(err)) throw err;
      const wait = Math.min(maxWaitMs, Math.max(backoffDelay(i, { baseMs }), Number(err?.retryAfterMs) || 0));
      await sleep(wait);
    }
  }
}
