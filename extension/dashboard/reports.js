// One row of "My reports", in plain language: when, the words hidden until asked for, where,
// the status in the person's language, and the evidence number, fingerprint and screenshot
// behind "Details". Server text reaches the page only through textContent.

import { el, formatDateTime } from '../lib/ui.js';

export function statusText(t, status) {
  const key = `dashStatus_${status}`;
  const text = t(key);
  return text && text !== key ? text : String(status || '');
}

export function reportRow(r, { t, locale, onScreenshot }) {
  const c = r.content || r;
  const words = el('span', { class: 'words', text: t('dashTextHidden'), dataset: { hidden: '1' } });
  const toggle = el('button', { type: 'button', class: 'link', 'aria-expanded': 'false', text: t('dashShowText') });
  toggle.addEventListener('click', () => {
    const show = words.dataset.hidden === '1';
    words.textContent = show ? (c.text || '') : t('dashTextHidden');
    words.dataset.hidden = show ? '0' : '1';
    toggle.textContent = show ? t('dashHideText') : t('dashShowText');
    toggle.setAttribute('aria-expanded', String(show));
  });
  const shotBox = el('div', { class: 'shot' });
  const details = el('details', {}, [
    el('summary', { text: t('dashColDetails') }),
    el('dl', {}, [
      el('dt', { text: t('dashEvidenceId') }), el('dd', { text: String(r.id) }),
      el('dt', { text: t('dashFingerprint') }), el('dd', { class: 'hash', text: String(r.sha256 || '') }),
    ]),
    el('button', {
      type: 'button',
      class: 'secondary',
      text: t('dashScreenshot'),
      onclick: async () => {
        const png = await onScreenshot(r.id);
        shotBox.replaceChildren(png ? el('img', { src: `data:image/png;base64,${png}`, alt: t('dashScreenshot') }) : el('p', { text: t('dashNoScreenshot') }));
      },
    }),
    shotBox,
  ]);
  return el('tr', { dataset: { id: r.id } }, [
    el('td', { text: formatDateTime(r.received_at, locale) }),
    el('td', { class: 'what' }, [words, ' ', toggle]),
    el('td', { class: 'what', text: c.url || '' }),
    el('td', { text: statusText(t, r.status) }),
    el('td', {}, [details]),
  ]);
}
