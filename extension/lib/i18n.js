// Localisation for the extension's own pages. "auto" follows the browser through chrome.i18n;
// an explicit language (options) reads that _locales file, since chrome.i18n cannot switch.

export function formatMessage(entry, subs = []) {
  if (!entry || typeof entry.message !== 'string') return '';
  let text = entry.message;
  const ph = entry.placeholders || {};
  for (const [name, def] of Object.entries(ph)) {
    const m = /^\$(\d)$/.exec(def.content || '');
    const value = m ? String(subs[Number(m[1]) - 1] ?? '') : (def.content || '');
    text = text.replace(new RegExp(`\\$${name}\\$`, 'gi'), value);
  }
  return text.replace(/\$(\d)/g, (_, n) => String(subs[Number(n) - 1] ?? '')).replace(/\$\$/g, '$');
}

/** Returns t(key, subs) for the chosen language ("auto" | "en" | "zh_CN"). */
export async function loadTranslator(language = 'auto', { fetchImpl = globalThis.fetch, chromeI18n = globalThis.chrome && globalThis.chrome.i18n } = {}) {
  if (language === 'en' || language === 'zh_CN') {
    try {
      const resp = await fetchImpl(`/_locales/${language}/messages.json`);
      const table = await resp.json();
      return (key, subs) => formatMessage(table[key], subs) || key;
    } catch { /* fall through to the browser's language */ }
  }
  return (key, subs) => (chromeI18n && chromeI18n.getMessage(key, subs)) || key;
}

/** Fill every [data-i18n] element's text (and [data-i18n-title], [data-i18n-placeholder]). */
export function applyTranslations(root, t) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-title]')) el.title = t(el.dataset.i18nTitle);
  for (const el of root.querySelectorAll('[data-i18n-placeholder]')) el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const el of root.querySelectorAll('[data-i18n-aria-label]')) el.setAttribute('aria-label', t(el.dataset.i18nAriaLabel));
}

/** The UI language code to use for dates and the <html lang>. */
export function uiLanguage(language, browserLang = 'en') {
  if (language === 'zh_CN') return 'zh-CN';
  if (language === 'en') return 'en';
  return /^zh/i.test(browserLang) ? 'zh-CN' : 'en';
}
