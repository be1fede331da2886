// What the person must be told about the connection to their server, from an error the
// service worker passed on. Pure: used by the content script (banner), the popup and node tests.

export const HEALTH = Object.freeze({
  OK: 'ok',
  OFFLINE: 'offline',     // the server did not answer (down, wrong address, backing off)
  BAD_KEY: 'bad_key',     // the server answered and refused the key
  NO_KEY: 'no_key',       // never paired
});

/** The health an error object ({status, code}) means; null when it says nothing about it. */
export function healthOfError(error) {
  if (!error || typeof error !== 'object') return null;
  const { status, code } = error;
  if (code === 'no_api_key') return HEALTH.NO_KEY;
  if (status === 401 || code === 'unauthorized' || code === 'bad_key') return HEALTH.BAD_KEY; // 403: this key may not do that one thing
  if (status === 0 || status === 502 || status === 503 || status === 504 || code === 'unreachable' || code === 'backoff' || code === 'no_worker') {
    return HEALTH.OFFLINE;
  }
  return null;
}

/** The words (locale key) and colour for a health state: the status is never a colour alone. */
export function healthView(state) {
  switch (state) {
    case HEALTH.OK: return { key: 'statusConnected', tone: 'ok', fix: false };
    case HEALTH.BAD_KEY: return { key: 'statusBadKey', tone: 'bad', fix: true };
    case HEALTH.NO_KEY: return { key: 'statusNotPaired', tone: 'bad', fix: true };
    default: return { key: 'statusOffline', tone: 'bad', fix: true };
  }
}

/** The health shown for a STATUS answer from the service worker. */
export function healthOfStatus(st) {
  if (!st) return HEALTH.OFFLINE;
  if (!st.hasKey) return HEALTH.NO_KEY;
  const fromError = healthOfError(st.error);
  if (fromError) return fromError;
  return st.serverDown ? HEALTH.OFFLINE : HEALTH.OK;
}
