// The welcome page, opened on install: says what Kindshield does, finds the person's server by
// itself (this computer's default address, or the one typed), pairs by a one-time code (no key
// to copy), then asks for the supported sites. Every network call goes through the worker.

import { MSG, STORAGE, normalizeSettings, normalizeServerUrl, originPattern } from '../lib/messages.js';
import { loadTranslator, applyTranslations, uiLanguage } from '../lib/i18n.js';
import { call } from '../lib/ui.js';
import { normalizeCode } from '../lib/pairing.js';
import { supportedMatchPatterns } from '../lib/adapters/index.js';

const $ = (id) => document.getElementById(id);
let t = (k) => k;
let server = null; // the address that answered

function say(id, key, state, subs) {
  const el = $(id);
  el.textContent = t(key, subs);
  el.dataset.state = state;
  el.dataset.code = key;
}

/** Ask for the server's origin when it is not one the manifest already holds (a click counts as the gesture). */
async function ensureHostPermission(url) {
  const pattern = originPattern(url);
  if ((chrome.runtime.getManifest().host_permissions || []).includes(pattern)) return true;
  try {
    if (await chrome.permissions.contains({ origins: [pattern] })) return true;
    return await chrome.permissions.request({ origins: [pattern] });
  } catch {
    return false; // the server's CORS allow-list may still name this extension
  }
}

async function find(typed) {
  say('find-status', 'welcomeLooking', 'looking');
  $('not-found').hidden = true;
  $('pair').hidden = true;   // never pair with the previous search's server while a new one runs
  let found = null;
  try {
    found = (await call(MSG.DISCOVER, { serverUrl: typed || '' })).found;
  } catch { found = null; }
  server = found;
  if (found) {
    say('find-status', 'welcomeFound', 'ok', [found]);
    $('server-url').value = found;
    $('pair-page').href = `${found}/pair`;
    $('pair').hidden = false;
    $('code').focus();
  } else {
    say('find-status', 'welcomeNotFound', 'error');
    $('not-found').hidden = false;
    $('pair').hidden = true;
  }
  document.body.dataset.found = found ? '1' : '0';
  document.body.dataset.server = found || '';
}

async function lookAgain(ev) {
  ev.preventDefault();
  $('pair').hidden = true;   // at once: the permission prompt below may take a while
  const url = normalizeServerUrl($('server-url').value);
  $('server-url').removeAttribute('aria-invalid');
  if ($('server-url').value && !url) {
    $('server-url').setAttribute('aria-invalid', 'true');
    say('find-status', 'welcomeUnreachable', 'error');
    return;
  }
  if (url) await ensureHostPermission(url);
  await find(url || '');
}

async function connect(ev) {
  ev.preventDefault();
  const code = normalizeCode($('code').value);
  $('code').removeAttribute('aria-invalid');
  if (!code || !server) {
    $('code').setAttribute('aria-invalid', 'true');
    say('pair-status', 'welcomeBadCode', 'error');
    return;
  }
  $('connect').disabled = true;
  say('pair-status', 'welcomeConnecting', 'busy');
  try {
    const r = await call(MSG.PAIR, { serverUrl: server, code });
    if (!r.ok) {
      const key = { bad_code: 'welcomeBadCode', old_server: 'welcomeOldServer' }[r.code] || 'welcomeUnreachable';
      if (r.code === 'bad_code') $('code').setAttribute('aria-invalid', 'true');
      say('pair-status', key, 'error');
      return;
    }
    say('pair-status', 'welcomeDone', 'ok');
    $('done').hidden = false;
    $('protect').focus();
  } catch {
    say('pair-status', 'welcomeUnreachable', 'error');
  } finally {
    $('connect').disabled = false;
  }
}

async function protect() {
  const ok = await chrome.permissions.request({ origins: supportedMatchPatterns() });
  if (!ok) return;
  await call(MSG.ENABLE_SITE);
  say('protect-status', 'welcomeProtected', 'ok');
}

async function main() {
  const got = await chrome.storage.local.get(STORAGE.SETTINGS);
  const settings = normalizeSettings(got[STORAGE.SETTINGS]);
  t = await loadTranslator(settings.language);
  document.documentElement.lang = uiLanguage(settings.language, chrome.i18n.getUILanguage());
  applyTranslations(document, t);
  document.title = t('welcomeTitle');
  $('server-url').value = settings.serverUrl;
  $('address-form').addEventListener('submit', lookAgain);
  $('pair-form').addEventListener('submit', connect);
  $('protect').addEventListener('click', protect);
  document.body.dataset.ready = '1';
  await find('');
}

main();
