// Small DOM helpers for the extension's pages: elements are built with textContent, never innerHTML.

export function el(tag, props = {}, children = []) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v == null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = String(v);
    else if (k === 'dataset') Object.assign(node.dataset, v);
    else if (k.startsWith('on') && typeof v === 'function') node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of [].concat(children)) {
    if (c == null || c === false) continue;
    node.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
  return node;
}

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

/** Ask the service worker; resolves with data or rejects with the server's error object. */
export async function call(type, payload = {}) {
  const resp = await chrome.runtime.sendMessage({ type, ...payload });
  if (!resp || !resp.ok) {
    const e = new Error((resp && resp.error && resp.error.message) || 'error');
    e.info = (resp && resp.error) || {};
    throw e;
  }
  return resp.data;
}

/** Lockdown state from GET /v1/protection, tolerant of field names. */
export function lockdownOf(protection) {
  if (!protection) return { active: false, until: null, duration_hours: null };
  const l = protection.lockdown || protection.one_click || protection.oneClick || null;
  const src = l || protection;
  const until = src.until || src.ends_at || src.expires_at || null;
  const active = typeof src.active === 'boolean' ? src.active : Boolean(until && Date.parse(until) > Date.now());
  return { active, until: active ? until : null, duration_hours: src.duration_hours ?? null };
}

export function settingsOf(protection) {
  if (!protection) return {};
  return protection.settings || protection;
}

export function formatDateTime(iso, locale) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return d.toLocaleString(locale, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}
