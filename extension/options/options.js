// Options: server address and API key (checked against the server before they are stored),
// sensitivity, allow-lists and language.

import { MSG, STORAGE, DEFAULT_SETTINGS, normalizeSettings, storedSettings, normalizeServerUrl, originPattern } from '../lib/messages.js';
import { loadApiKey, saveApiKey } from '../background/keystore.js';
import { loadTranslator, applyTranslations, uiLanguage } from '../lib/i18n.js';
import { call, settingsOf } from '../lib/ui.js';
import { siteKey } from '../lib/text.js';
import { showMuted } from './muted.js';
import { showPicked } from './picked.js';

const $ = (id) => document.getElementById(id);
let t = (k) => k;

const lines = (value) => Array.from(new Set(String(value || '').split(/\r?\n/).map((s) => s.trim()).filter(Boolean)));

function setStatus(state, key) {
  const s = $('status');
  s.dataset.state = state;
  s.dataset.code = key;
  s.textContent = t(key);
}

/** The stored settings with the key from the key store (this page is a trusted context). */
async function stored() {
  const got = await chrome.storage.local.get(STORAGE.SETTINGS);
  return { ...normalizeSettings(got[STORAGE.SETTINGS]), apiKey: await loadApiKey() };
}

async function fill() {
  const s = await stored();
  $('serverUrl').value = s.serverUrl;
  $('apiKey').value = s.apiKey;
  $('sensitivity').value = s.sensitivity;
  $('language').value = s.language;
  $('enabled').checked = s.enabled;
  $('shieldMessages').checked = s.shieldMessages;
  $('nudge').checked = s.nudge;
  $('hideSwearing').checked = s.hideSwearing;
  $('hideAllOffline').checked = s.hideAllOffline;
  $('allowSites').value = s.allowSites.join('\n');
  if (s.apiKey) {
    try {
      const p = settingsOf(await call(MSG.PROTECTION_GET));
      if (p.sensitivity) $('sensitivity').value = p.sensitivity;
      if (typeof p.hide_swearing === 'boolean') $('hideSwearing').checked = p.hide_swearing;
      $('allowSenders').value = (p.allow_senders || []).join('\n');
      $('reclaimedTerms').value = (p.reclaimed_terms || []).join('\n');
    } catch { /* server down: local values only */ }
  }
}

/** Ask for the server origin as an optional host permission when it is not a default one. */
async function ensureHostPermission(serverUrl) {
  const pattern = originPattern(serverUrl);
  const manifest = chrome.runtime.getManifest();
  if ((manifest.host_permissions || []).includes(pattern)) return true;
  try {
    if (await chrome.permissions.contains({ origins: [pattern] })) return true;
    return await chrome.permissions.request({ origins: [pattern] });
  } catch {
    return false; // still works when the server's CORS allow-list names this extension
  }
}

async function save(ev) {
  ev.preventDefault();
  const urlInput = $('serverUrl');
  const keyInput = $('apiKey');
  urlInput.removeAttribute('aria-invalid');
  keyInput.removeAttribute('aria-invalid');
  const serverUrl = normalizeServerUrl(urlInput.value);
  const apiKey = keyInput.value.trim();
  if (!serverUrl) {
    urlInput.setAttribute('aria-invalid', 'true');
    setStatus('error', 'optBadUrl');
    return;
  }
  if (!apiKey) {
    keyInput.setAttribute('aria-invalid', 'true');
    setStatus('error', 'optNoKey');
    return;
  }
  $('save').disabled = true;
  setStatus('busy', 'optChecking');
  try {
    await ensureHostPermission(serverUrl); // first, while the click still counts as a gesture
    const check = await call(MSG.CHECK_SERVER, { serverUrl, apiKey });
    if (!check.ok) {
      const map = { bad_url: 'optBadUrl', unreachable: 'optUnreachable', bad_key: 'optBadKey', no_api_key: 'optNoKey' };
      (check.code === 'bad_key' || check.code === 'no_api_key' ? keyInput : urlInput).setAttribute('aria-invalid', 'true');
      setStatus('error', map[check.code] || 'optUnreachable');
      return;
    }
    const next = normalizeSettings({
      ...(await stored()),
      serverUrl,
      apiKey,
      sensitivity: $('sensitivity').value,
      language: $('language').value,
      enabled: $('enabled').checked,
      shieldMessages: $('shieldMessages').checked,
      nudge: $('nudge').checked,
      hideSwearing: $('hideSwearing').checked,
      hideAllOffline: $('hideAllOffline').checked,
      allowSites: lines($('allowSites').value).map(siteKey),
    });
    await saveApiKey(apiKey);
    await chrome.storage.local.set({ [STORAGE.SETTINGS]: storedSettings(next) });
    await call(MSG.PROTECTION_PUT, {
      settings: {
        sensitivity: next.sensitivity,
        hide_swearing: next.hideSwearing,
        allow_senders: lines($('allowSenders').value),
        reclaimed_terms: lines($('reclaimedTerms').value),
      },
    });
    setStatus('ok', 'optSaved');
  } catch (err) {
    setStatus('error', (err.info && err.info.code) === 'invalid_request' ? 'optInvalid' : 'optUnreachable');
    if (err.info && err.info.message) $('status').textContent += ` (${err.info.message})`;
  } finally {
    $('save').disabled = false;
  }
}

async function main() {
  const s = await stored();
  t = await loadTranslator(s.language);
  document.documentElement.lang = uiLanguage(s.language, chrome.i18n.getUILanguage());
  applyTranslations(document, t);
  $('serverUrl').placeholder = DEFAULT_SETTINGS.serverUrl;
  await fill();
  await showMuted($('muted-list'), $('muted-none'), t);
  await showPicked($('picked-list'), $('picked-none'), $('picked-export'), $('picked-json'), t);
  $('form').addEventListener('submit', save);
  document.body.dataset.ready = '1';
}

main();
