// The options page's list of picked comment selectors (issue 32): per site, the comment and the
// words inside it (editable), the regions that are not comments (editable), remove, export as JSON.
// Kept in this browser only (chrome.storage.local, STORAGE.PICKED).

import { STORAGE } from '../lib/messages.js';
import { normalizePicked } from '../lib/picker.js';
import { el, clear } from '../lib/ui.js';

const lines = (v) => String(v || '').split(/\r?\n/).map((s) => s.trim()).filter(Boolean);

async function load() {
  return normalizePicked((await chrome.storage.local.get(STORAGE.PICKED))[STORAGE.PICKED]);
}

async function store(map) {
  await chrome.storage.local.set({ [STORAGE.PICKED]: normalizePicked(map) });
}

export async function showPicked(list, none, exportBtn, exportOut, t) {
  const render = async () => {
    const map = await load();
    clear(list);
    const origins = Object.keys(map).sort();
    none.hidden = origins.length > 0;
    exportBtn.hidden = origins.length === 0;
    for (const origin of origins) {
      const v = map[origin];
      const rows = v.comments.map((r, i) => el('div', { class: 'picked-rule', dataset: { index: String(i) } }, [
        el('label', { text: t('optPickedItem') }, [el('input', { type: 'text', class: 'picked-item', value: r.item, spellcheck: 'false' })]),
        el('label', { text: t('optPickedText') }, [el('input', { type: 'text', class: 'picked-text', value: r.text, spellcheck: 'false' })]),
      ]));
      const excl = el('textarea', { class: 'picked-exclude', rows: '2', spellcheck: 'false' });
      excl.value = v.exclude.join('\n');
      const status = el('span', { class: 'picked-status', role: 'status' });
      const save = el('button', {
        type: 'button',
        class: 'picked-save',
        text: t('optPickedSave'),
        onclick: async () => {
          const cur = await load();
          const comments = rows.map((row) => ({ item: row.querySelector('.picked-item').value.trim(), text: row.querySelector('.picked-text').value.trim() }))
            .filter((r) => r.item);
          cur[origin] = { comments, exclude: lines(excl.value), updated: new Date().toISOString() };
          await store(cur);
          status.textContent = t('optPickedSaved');
        },
      });
      const remove = el('button', {
        type: 'button',
        class: 'picked-remove',
        'aria-label': `${t('optPickedRemove')}: ${origin}`,
        text: t('optPickedRemove'),
        onclick: async () => {
          const cur = await load();
          delete cur[origin];
          await store(cur);
          await render();
        },
      });
      list.appendChild(el('li', { dataset: { origin } }, [
        el('strong', { text: origin }), ...rows,
        el('label', { text: t('optPickedExclude') }, [excl]),
        el('div', { class: 'picked-actions' }, [save, remove, status]),
      ]));
    }
  };
  exportBtn.addEventListener('click', async () => {
    const json = JSON.stringify(await load(), null, 2);
    exportOut.value = json;
    exportOut.hidden = false;
    const a = el('a', { href: URL.createObjectURL(new Blob([json], { type: 'application/json' })), download: 'kindshield-picked-selectors.json' });
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  });
  chrome.storage.onChanged.addListener((changes, area) => { if (area === 'local' && changes[STORAGE.PICKED] && !list.contains(document.activeElement)) render(); });
  await render();
}
