// Accounts the person muted, per site, kept only in this browser (chrome.storage.local).
// Shape: { "<site>": ["author", ...] }. Pure helpers, tested with node --test.

export const MAX_MUTED_PER_SITE = 500;

export function authorKey(author) {
  return String(author || '').trim().replace(/^@+/, '').toLowerCase();
}

export function mutedOn(map, site) {
  const list = map && typeof map === 'object' && Array.isArray(map[site]) ? map[site] : [];
  return list.filter((a) => typeof a === 'string' && a);
}

export function isMuted(list, author) {
  const k = authorKey(author);
  return Boolean(k) && list.some((a) => authorKey(a) === k);
}

/** A new map with `author` muted (or unmuted) on `site`; sites left empty are dropped. */
export function setMuted(map, site, author, muted) {
  const next = { ...(map && typeof map === 'object' ? map : {}) };
  const k = authorKey(author);
  if (!site || !k) return next;
  const list = mutedOn(next, site).filter((a) => authorKey(a) !== k);
  if (muted) list.push(String(author).trim().replace(/^@+/, ''));
  if (list.length) next[site] = list.slice(-MAX_MUTED_PER_SITE);
  else delete next[site];
  return next;
}
