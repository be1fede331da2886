// The popup: one big button for one-click protection, today's counts, sensitivity and
// "pause on this site". Every server call goes through the service worker.

import { MSG, STORAGE, normalizeSettings, storedSettings } from '../lib/messages.js';
import { loadTranslator, applyTranslations, uiLanguage } from '../lib/i18n.js';
import { call, lockdownOf, settingsOf, formatDateTime } from '../lib/ui.js';
import { hostMatches, siteKey } from '../lib/text.js';
import { SITE_ADAPTERS, supportedMatchPatterns } from '../lib/adapters/index.js';
import { healthOfStatus, healthView } from '../lib/health.js';

const $ = (id) => document.getElementById(id);
let t = (k) => k;
let locale = 'en';
let current = null;   // last STATUS
let site = null;      // { host, origin } of the tab the popup is about

function showError(err) {
  const box = $('error');
  if (!err) { box.hidden = true; box.textContent = ''; return; }
  const code = err.info && err.info.code;
  box.textContent = code === 'unreachable' || code === 'backoff' ? t('errServerDown') : (err.message || String(err));
  box.hidden = false;
}

async function currentSite() {
  const params = new URLSearchParams(location.search);
  const forced = params.get('host'); // the popup opened as a tab (tests, notification click)
  if (forced) return { host: siteKey(forced), origin: params.get('origin') || `https://${forced}`, tabId: params.get('tab') };
  try {
    const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
    if (tab && tab.url && /^https?:/.test(tab.url)) {
      const u = new URL(tab.url);
      return { host: siteKey(u.hostname), origin: u.origin, tabId: tab.id };
    }
  } catch { /* no tab access */ }
  return null;
}

/** The connection in words and colour, first thing in the popup, with Fix when it is not right. */
function renderHealth(st) {
  const health = healthOfStatus(st);
  const view = healthView(health);
  const box = $('server-status');
  box.dataset.tone = view.tone;
  box.dataset.health = health;
  $('server-state').className = `dot ${view.tone === 'ok' ? 'up' : 'down'}`;
  $('server-words').textContent = t(view.key);
  $('fix').hidden = !view.fix;
}

function render(st) {
  current = st;
  renderHealth(st);
  $('setup').hidden = st.hasKey;
  $('main').hidden = !st.hasKey;
  if (!st.hasKey) return;

  const lock = lockdownOf(st.protection);
  const btn = $('protect');
  btn.classList.toggle('on', lock.active);
  btn.dataset.state = lock.active ? 'on' : 'off';
  btn.disabled = Boolean(st.serverDown && !st.protection);
  $('protect-title').textContent = lock.active ? t('popupOn') : t('popupTurnOn');
  $('protect-sub').textContent = lock.active ? t('popupTurnOffSub') : t('popupTurnOnSub');
  $('duration-row').hidden = false; // when on: the new length for "Extend"
  $('extend').hidden = !lock.active;
  delete btn.dataset.confirm;
  const until = $('until');
  until.hidden = !lock.active || !lock.until;
  if (lock.until) until.textContent = t('popupUntil', [formatDateTime(lock.until, locale)]);

  const today = st.today || {};
  $('count-folded').textContent = today.folded ?? '–';
  $('count-blocked').textContent = today.blocked ?? '–';
  $('count-blurred').textContent = String((st.local && (st.local.blurred + st.local.folded)) || 0);

  const sens = settingsOf(st.protection).sensitivity || st.sensitivity;
  $('sensitivity').value = sens;

  if (site) {
    $('site-name').textContent = site.host;
    $('pause').checked = hostMatches(site.host, st.pausedSites);
  }
  $('pause-row').hidden = true; // shown by renderGrant only where Kindshield runs
  if (st.error && !st.serverDown && healthOfStatus(st) === 'ok') showError({ message: st.error.message, info: st.error });
  else if (st.serverDown) showError({ info: { code: 'unreachable' } });
  else showError(null);
}

async function refresh() {
  render(await call(MSG.STATUS));
  await renderGrant();
  await renderGrantEmbeds();
}

/** Comments in a cross-origin frame (Disqus) on a protected page: offer to protect them too. */
async function renderGrantEmbeds() {
  const btn = $('grant-embeds');
  btn.hidden = true;
  if (!site || site.tabId === undefined || site.tabId === null || !chrome.permissions) return;
  let origins = [];
  try { origins = (await call(MSG.EMBEDS_GET, { tabId: site.tabId })).origins || []; } catch { origins = []; }
  if (!origins.length) return;
  let has = false;
  try { has = await chrome.permissions.contains({ origins }); } catch { has = false; }
  if (has) return;
  btn.hidden = false;
  btn.onclick = async () => {
    const ok = await chrome.permissions.request({ origins });
    if (ok) {
      await call(MSG.ENABLE_SITE);
      btn.hidden = true;
    }
  };
}

/** "This site: protected / not protected → Protect"; pause only where Kindshield runs; page count. */
async function renderSite(has) {
  $('site-row').hidden = !site;
  if (!site) return;
  const paused = Boolean(current && hostMatches(site.host, current.pausedSites));
  const working = healthOfStatus(current) === 'ok' && Boolean(current && current.enabled);
  // "protected" only when it is true right now: granted, not paused, and the server is checking
  const state = !has ? 'not-protected' : (paused ? 'paused' : (working ? 'protected' : 'not-filtered'));
  const status = $('site-status');
  status.dataset.state = state;
  status.textContent = t({ protected: 'popupSiteProtected', 'not-protected': 'popupSiteNotProtected', paused: 'popupSitePaused', 'not-filtered': 'popupSiteNotFiltered' }[state]);
  $('pause-row').hidden = !has;
  const count = $('page-count');
  count.hidden = true;
  $('page-reader').hidden = true;
  $('pick-row').hidden = true;
  if (has && site.tabId !== undefined && site.tabId !== null) {
    try {
      const r = await call(MSG.PAGE_COUNT, { tabId: Number(site.tabId) });
      if (r && typeof r.hidden === 'number') {
        count.textContent = t('popupPageCount', [String(r.hidden)]);
        count.hidden = false;
      }
      if (r && typeof r.reader === 'string') renderReader(r);
    } catch { /* no content script on that tab */ }
  }
}

const READER_KEYS = { fallback: 'popupReaderFallback', picked: 'popupReaderPicked', generic: 'popupReaderGeneric', none: 'popupReaderNone' };

/** Which reader reads this page and how many comments it sees; pick a comment / exclude a region. */
function renderReader(r) {
  const box = $('page-reader');
  const name = READER_KEYS[r.reader] ? t(READER_KEYS[r.reader]) : r.reader;
  box.textContent = t('popupReader', [name, String(r.comments || 0)]);
  box.dataset.reader = r.reader;
  box.dataset.comments = String(r.comments || 0);
  box.hidden = false;
  $('pick-row').hidden = false;
  const pick = (mode) => async () => {
    try {
      await chrome.tabs.sendMessage(Number(site.tabId), { type: MSG.PICK_START, mode }, { frameId: 0 });
      if (!new URLSearchParams(location.search).get('host')) window.close(); // the person clicks in the page now
      else $('pick-row').dataset.started = mode;
    } catch (err) {
      showError(err);
    }
  };
  $('pick-comment').onclick = pick('comment');
  $('pick-exclude').onclick = pick('exclude');
}

async function renderGrant() {
  const grant = $('grant');
  if (!site || !chrome.permissions) { grant.hidden = true; await renderSite(false); return; }
  const supported = SITE_ADAPTERS.some((a) => hostMatches(site.host, a.hosts));
  const origins = supported ? supportedMatchPatterns() : [`${site.origin}/*`];
  let has = false;
  try { has = await chrome.permissions.contains({ origins: [`${site.origin}/*`] }); } catch { has = false; }
  grant.hidden = has;
  await renderSite(has);
  grant.textContent = supported ? t('popupProtectSupported') : t('popupProtectSite');
  grant.onclick = async () => {
    const ok = await chrome.permissions.request({ origins });
    if (ok) {
      await call(MSG.ENABLE_SITE);
      grant.hidden = true;
      await renderSite(true);
    }
  };
}

let confirmTimer = null;
async function toggleProtection() {
  const btn = $('protect');
  // turning protection off early asks once more: a single stray tap must not end it
  if (btn.dataset.state === 'on' && btn.dataset.confirm !== '1') {
    btn.dataset.confirm = '1';
    $('protect-sub').textContent = t('popupConfirmOff');
    clearTimeout(confirmTimer);
    confirmTimer = setTimeout(() => { delete btn.dataset.confirm; $('protect-sub').textContent = t('popupTurnOffSub'); }, 6000);
    return;
  }
  clearTimeout(confirmTimer);
  btn.disabled = true;
  showError(null);
  try {
    if (btn.dataset.state === 'on') await call(MSG.ONE_CLICK_OFF);
    else await call(MSG.ONE_CLICK_ON, { duration_hours: Number($('duration').value) });
    await refresh();
  } catch (err) {
    showError(err);
  } finally {
    btn.disabled = false;
  }
}

async function setSensitivity() {
  const value = $('sensitivity').value;
  showError(null);
  try {
    const got = await chrome.storage.local.get(STORAGE.SETTINGS);
    await chrome.storage.local.set({ [STORAGE.SETTINGS]: storedSettings({ ...normalizeSettings(got[STORAGE.SETTINGS]), sensitivity: value }) });
    await call(MSG.PROTECTION_PUT, { settings: { sensitivity: value } });
  } catch (err) {
    showError(err);
  }
}

async function setPaused() {
  if (!site) return;
  try {
    await call(MSG.SET_SITE_PAUSED, { host: site.host, paused: $('pause').checked });
  } catch (err) {
    showError(err);
  }
}

async function main() {
  const got = await chrome.storage.local.get(STORAGE.SETTINGS);
  const settings = normalizeSettings(got[STORAGE.SETTINGS]);
  t = await loadTranslator(settings.language);
  locale = uiLanguage(settings.language, chrome.i18n.getUILanguage());
  document.documentElement.lang = locale;
  applyTranslations(document, t);
  site = await currentSite();

  const notice = new URLSearchParams(location.search).get('notice');
  if (notice) {
    $('notice').textContent = t('popupNoticeHint');
    $('notice').hidden = false;
  }
  $('protect').addEventListener('click', toggleProtection);
  $('extend').addEventListener('click', async () => {
    showError(null);
    try {
      await call(MSG.ONE_CLICK_ON, { duration_hours: Number($('duration').value) }); // replaces the running one: ends later
      await refresh();
    } catch (err) {
      showError(err);
    }
  });
  $('sensitivity').addEventListener('change', setSensitivity);
  $('pause').addEventListener('change', setPaused);
  const openOptions = (e) => { e.preventDefault(); chrome.runtime.openOptionsPage(); };
  $('open-options').addEventListener('click', openOptions);
  $('open-options-setup').addEventListener('click', openOptions);
  const openWelcome = () => call(MSG.OPEN_PAGE, { page: 'welcome' }).catch(() => {});
  $('open-welcome').addEventListener('click', openWelcome);
  $('fix').addEventListener('click', openWelcome);
  try {
    await refresh();
  } catch (err) {
    showError(err);
  }
  document.body.dataset.ready = '1';
}

main();
