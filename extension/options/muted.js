// The options page's list of muted accounts (muted from a label on a page; kept in this browser).

import { STORAGE } from '../lib/messages.js';
import { setMuted } from '../lib/mute.js';
import { el, clear } from '../lib/ui.js';

export async function showMuted(list, none, t) {
  const render = async () => {
    const map = (await chrome.storage.local.get(STORAGE.MUTED))[STORAGE.MUTED] || {};
    clear(list);
    const rows = Object.entries(map).flatMap(([site, authors]) => (authors || []).map((a) => ({ site, author: a })));
    none.hidden = rows.length > 0;
    for (const { site, author } of rows) {
      const unmute = el('button', {
        type: 'button',
        'aria-label': `${t('optUnmute')}: ${author} (${site})`,
        text: t('optUnmute'),
        onclick: async () => {
          const cur = (await chrome.storage.local.get(STORAGE.MUTED))[STORAGE.MUTED] || {};
          await chrome.storage.local.set({ [STORAGE.MUTED]: setMuted(cur, site, author, false) });
          await render();
        },
      });
      list.appendChild(el('li', { dataset: { site, author } }, [el('span', { text: `${author} · ${site}` }), unmute]));
    }
  };
  await render();
}
