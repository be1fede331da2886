// Evidence that helps: the text of a page region without Kindshield's own labels, and the
// reveal-capture-hide-again sequence around a screenshot of a reported comment.

import { setRevealed } from './blur.js';
import { unfoldAround } from './fold.js';

/** Text of `el` without anything we added ([data-ks-ui]): labels, bars, banners, toasts. */
export function textWithoutOurs(el) {
  if (!el) return '';
  if (el.nodeType === 3) return el.data;
  if (el.nodeType !== 1 || (el.dataset && el.dataset.ksUi)) return '';
  let out = '';
  for (const child of el.childNodes) out += textWithoutOurs(child);
  if (el.shadowRoot) for (const child of el.shadowRoot.childNodes) out += textWithoutOurs(child);
  return out;
}

const nextFrame = () => new Promise((r) => requestAnimationFrame(() => r()));

/**
 * Show the reported comment as it is, framed, with our labels out of the picture, and wait for
 * the page to paint it. Returns `restore()`, which puts everything back as the person had it.
 */
export async function revealForCapture(entry, itemEl) {
  const wasRevealed = entry ? entry.revealed : true;
  if (entry) {
    unfoldAround(entry.itemEl);
    if (!wasRevealed) setRevealed(entry, true);
  }
  const frame = itemEl || (entry && entry.itemEl) || null;
  if (frame) {
    frame.classList.add('ks-evidence');
    frame.scrollIntoView({ block: 'center' });
  }
  document.documentElement.classList.add('ks-capturing');
  await nextFrame();
  await nextFrame();
  const revealed = !entry || !entry.textEl.classList.contains('ks-blurred');
  return {
    revealed,
    restore() {
      document.documentElement.classList.remove('ks-capturing');
      if (frame) frame.classList.remove('ks-evidence');
      if (entry && !wasRevealed) setRevealed(entry, false);
    },
  };
}
