// Never silent: while the server cannot be reached or refuses the key, a banner at the top of
// the page says that comments here are NOT being filtered, with Retry and Settings. Announced
// to screen readers (role=alert); when the server is back a short polite note replaces it.

import { pageStrings } from '../lib/strings.js';
import { HEALTH } from '../lib/health.js';

let host = null;
let shown = null; // the health the banner shows now

const CSS = `.bar{box-sizing:border-box;position:fixed;top:0;left:0;right:0;z-index:2147483647;display:flex;flex-wrap:wrap;gap:.8em;align-items:center;
padding:.6em 1em;font:500 1rem/1.4 system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;background:#8c1d18;color:#fff;box-shadow:0 2px 8px rgba(0,0,0,.3)}
.bar.ok{background:#0f5223}
.bar span{flex:1 1 20em}
button{font:inherit;cursor:pointer;border:1px solid #fff;border-radius:.4em;background:#fff;color:#8c1d18;padding:.25em .8em}
button.plain{background:transparent;color:#fff}`;

export function bannerState() {
  return shown;
}

/** Show (or update) the banner for `health` ('offline' | 'bad_key'); hides it for 'ok'. */
export function showBanner(health, { lang = 'en', hiding = false, onRetry, onSettings } = {}) {
  if (health === HEALTH.OK || !health) { hideBanner(lang); return; }
  if (shown === health && host && host.isConnected) return;
  removeHost();
  const s = pageStrings(lang);
  host = document.createElement('div');
  host.dataset.ksUi = 'banner';
  host.dataset.ksHealth = health;
  const root = host.attachShadow({ mode: 'closed' });
  const style = document.createElement('style');
  style.textContent = CSS;
  const bar = document.createElement('div');
  bar.className = 'bar';
  bar.setAttribute('role', 'alert');
  const words = document.createElement('span');
  words.textContent = health === HEALTH.BAD_KEY || health === HEALTH.NO_KEY ? s.bannerBadKey : (hiding ? s.bannerOfflineHiding : s.bannerOffline);
  const retry = document.createElement('button');
  retry.type = 'button';
  retry.textContent = s.retry;
  retry.addEventListener('click', () => onRetry && onRetry());
  const settings = document.createElement('button');
  settings.type = 'button';
  settings.className = 'plain';
  settings.textContent = s.settings;
  settings.addEventListener('click', () => onSettings && onSettings());
  bar.append(words, retry, settings);
  root.append(style, bar);
  document.documentElement.appendChild(host);
  shown = health;
}

function removeHost() {
  if (host) host.remove();
  host = null;
}

export function hideBanner(lang = 'en') {
  if (!shown) return;
  shown = null;
  removeHost();
  // say it once, politely, then go
  const note = document.createElement('div');
  note.dataset.ksUi = 'banner-back';
  const root = note.attachShadow({ mode: 'closed' });
  const style = document.createElement('style');
  style.textContent = CSS;
  const bar = document.createElement('div');
  bar.className = 'bar ok';
  bar.setAttribute('role', 'status');
  const words = document.createElement('span');
  words.textContent = pageStrings(lang).bannerBack;
  bar.append(words);
  root.append(style, bar);
  document.documentElement.appendChild(note);
  setTimeout(() => note.remove(), 4000);
}
