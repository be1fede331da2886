// Where the API key lives: never in chrome.storage.local, which every content script (a page's
// context) can read. The live copy is in chrome.storage.session, whose access level stays
// TRUSTED_CONTEXTS (the worker and the extension's own pages; content scripts are refused); the
// copy that survives a browser restart is in the extension origin's IndexedDB, which content
// scripts cannot open (they run in the page's origin). chrome.storage.local keeps only a
// fingerprint (KEY_MARK), so content scripts learn that the key changed, never what it is.
// Used by the service worker (the only network caller) and by the options page (to show and set it).

import { STORAGE } from '../lib/messages.js';
import { sha256Hex } from '../lib/digest.js';

const DB_NAME = 'kindshield-secrets';
const DB_STORE = 'secrets';
const DB_ITEM = 'apiKey';

function openDb() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(DB_STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function idb(mode, fn) {
  const db = await openDb();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(DB_STORE, mode);
      const req = fn(tx.objectStore(DB_STORE));
      tx.oncomplete = () => resolve(req.result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

/** Keep the session area out of content scripts' reach (the default, said explicitly). */
export async function lockSessionStorage() {
  try { await chrome.storage.session.setAccessLevel({ accessLevel: 'TRUSTED_CONTEXTS' }); } catch { /* not allowed here (a page) */ }
}

/** A short, non-secret digest of the key: tells whether it changed, not what it is. */
export async function keyFingerprint(apiKey) {
  return apiKey ? (await sha256Hex(`kindshield-key:${apiKey}`)).slice(0, 16) : '';
}

async function storedKey() {
  const key = await idb('readonly', (s) => s.get(DB_ITEM));
  return typeof key === 'string' ? key : '';
}

/** The key, or '' when none is set. Reads only: the session copy is written by saveApiKey and warmApiKey. */
export async function loadApiKey() {
  const got = await chrome.storage.session.get(STORAGE.API_KEY);
  if (typeof got[STORAGE.API_KEY] === 'string') return got[STORAGE.API_KEY];
  return storedKey(); // first read since the browser started, before the worker warmed the copy
}

/**
 * The worker, on start: a new browser session has no live copy yet; fill it from IndexedDB.
 * Read again after writing, so a key saved meanwhile (the options page) is never overwritten.
 */
export async function warmApiKey() {
  const got = await chrome.storage.session.get(STORAGE.API_KEY);
  if (typeof got[STORAGE.API_KEY] === 'string') return;
  for (let i = 0; i < 3; i++) {
    const key = await storedKey();
    await chrome.storage.session.set({ [STORAGE.API_KEY]: key });
    if (await storedKey() === key) return;
  }
}

/** Store (or with '' remove) the key: IndexedDB first, then the live copy, then the fingerprint. */
export async function saveApiKey(apiKey) {
  const value = typeof apiKey === 'string' ? apiKey.trim() : '';
  await idb('readwrite', (s) => (value ? s.put(value, DB_ITEM) : s.delete(DB_ITEM)));
  await chrome.storage.session.set({ [STORAGE.API_KEY]: value });
  await chrome.storage.local.set({ [STORAGE.KEY_MARK]: { fingerprint: await keyFingerprint(value) } });
  return value;
}

/**
 * Earlier versions (and anything that writes settings with an apiKey field) left the key in
 * chrome.storage.local: move it here and delete it there. Returns true when a key was moved.
 */
export async function migrateApiKey() {
  const got = await chrome.storage.local.get(STORAGE.SETTINGS);
  const stored = got[STORAGE.SETTINGS];
  if (!stored || typeof stored !== 'object' || !('apiKey' in stored)) return false;
  const { apiKey, ...rest } = stored;
  const moved = typeof apiKey === 'string' && apiKey.trim() !== '';
  if (moved) await saveApiKey(apiKey);
  await chrome.storage.local.set({ [STORAGE.SETTINGS]: rest });
  return moved;
}
