// Text helpers shared by the content scripts and the service worker. No DOM here.

const ZERO_WIDTH = /[\u200b-\u200d\u2060\ufeff]/g;

/** Collapse whitespace, drop zero-width characters, trim, cap at `max` characters. */
export function cleanText(raw, max = 20000) {
  if (typeof raw !== 'string') return '';
  let t = raw.replace(ZERO_WIDTH, '').replace(/\s+/g, ' ').trim();
  if (t.length > max) {
    t = t.slice(0, max);
    // do not cut a surrogate pair in half
    if (/[\ud800-\udbff]$/.test(t)) t = t.slice(0, -1);
  }
  return t;
}

/** Worth sending to the model: has at least `min` letters (any script), not just digits or marks. */
export function isWorthChecking(text, min = 2) {
  if (!text) return false;
  const letters = text.match(/\p{L}/gu);
  return Boolean(letters && letters.length >= min);
}

/**
 * The server counts span offsets in Unicode code points (Python); JavaScript strings index
 * UTF-16 code units. Return the words each span covers.
 */
export function spansToWords(text, spans, { minScore = 0 } = {}) {
  if (!text || !Array.isArray(spans)) return [];
  const cps = Array.from(text);
  const seen = new Set();
  const words = [];
  const sorted = spans
    .filter((s) => s && Number.isInteger(s.start) && Number.isInteger(s.end) && s.end > s.start)
    .filter((s) => (typeof s.score !== 'number') || s.score >= minScore)
    .sort((a, b) => (b.score ?? 0) - (a.score ?? 0));
  for (const s of sorted) {
    const w = cps.slice(Math.max(0, s.start), Math.min(cps.length, s.end)).join('').trim();
    if (w && !seen.has(w)) {
      seen.add(w);
      words.push(w);
    }
  }
  return words;
}

/** "zh" for Chinese-looking language tags, else "en". */
export function uiLangFromTag(tag) {
  return /^zh\b/i.test(String(tag || '').trim()) ? 'zh' : 'en';
}

/** Guess a text's language from its script: enough Han characters -> zh. */
export function guessLang(text) {
  if (!text) return 'en';
  const han = (text.match(/\p{Script=Han}/gu) || []).length;
  return han >= 2 || han / Math.max(1, text.length) > 0.2 ? 'zh' : 'en';
}

/** A short, single-line excerpt for reasons and reports. */
export function excerpt(text, max = 140) {
  const t = cleanText(text);
  return t.length <= max ? t : `${t.slice(0, max - 1)}…`;
}

/** Hostname without a leading "www." and lower-cased. */
export function siteKey(hostname) {
  return String(hostname || '').toLowerCase().replace(/^www\./, '');
}

/** Does `hostname` equal or sit under one of `list` (e.g. "m.weibo.cn" under "weibo.cn")? */
export function hostMatches(hostname, list) {
  const h = siteKey(hostname);
  return (list || []).some((entry) => {
    const e = siteKey(entry);
    return e && (h === e || h.endsWith(`.${e}`));
  });
}
