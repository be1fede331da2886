// A pile-on folds: three or more hidden comments in a row collapse into one bar
// ("18 comments hidden · Show"). The comments keep their own placeholders underneath; the bar
// only takes the run out of view (and out of the accessibility tree) until "Show".

import { hiddenRuns } from '../lib/fold.js';
import { pageStrings, fill } from '../lib/strings.js';

const bars = new Map();          // parent element -> [bar elements]
const expanded = new WeakSet();  // parents the person opened: not folded again

function isOursEl(el) {
  return Boolean(el && el.dataset && el.dataset.ksUi);
}

function unfoldParent(parent) {
  for (const bar of bars.get(parent) || []) {
    for (const item of bar.__ksItems || []) {
      item.classList.remove('ks-folded');
    }
    bar.remove();
  }
  bars.delete(parent);
}

function makeBar(run, lang) {
  const s = pageStrings(lang);
  const bar = document.createElement('div');
  bar.className = 'ks-fold';
  bar.dataset.ksUi = 'fold';
  bar.setAttribute('role', 'group');
  const words = document.createElement('span');
  words.textContent = fill(s.foldBar, { n: run.length });
  const show = document.createElement('button');
  show.type = 'button';
  show.dataset.ksUi = 'fold-show';
  show.textContent = s.foldShow;
  show.setAttribute('aria-expanded', 'false');
  show.setAttribute('aria-label', fill(s.foldShowLabel, { n: run.length }));
  bar.append(words, ' · ', show);
  bar.__ksItems = run;
  show.addEventListener('click', (ev) => {
    ev.preventDefault();
    ev.stopPropagation();
    const open = show.getAttribute('aria-expanded') === 'true';
    for (const item of run) item.classList.toggle('ks-folded', open);
    show.setAttribute('aria-expanded', String(!open));
    show.textContent = open ? s.foldShow : s.foldHide;
    const parent = run[0].parentElement;
    if (parent) { if (open) expanded.delete(parent); else expanded.add(parent); }
  });
  return bar;
}

/**
 * Fold again around `items` (the item elements of comments just hidden or shown): every parent
 * they sit in is folded from scratch. `isHiddenItem(el)` says whether an item is hidden by us.
 */
export function refold(itemEls, isHiddenItem, lang) {
  const parents = new Set();
  for (const el of itemEls) if (el && el.parentElement) parents.add(el.parentElement);
  let folded = 0;
  for (const parent of parents) {
    if (expanded.has(parent)) continue;
    unfoldParent(parent);
    const runs = hiddenRuns(Array.from(parent.children), isHiddenItem, { skip: isOursEl });
    const made = [];
    for (const run of runs) {
      const bar = makeBar(run, lang);
      parent.insertBefore(bar, run[0]);
      for (const item of run) item.classList.add('ks-folded');
      made.push(bar);
      folded += run.length;
    }
    if (made.length) bars.set(parent, made);
  }
  return folded;
}

/** Unfold everything (pause, protection off) or the run an item is in (reveal for evidence). */
export function unfoldAll() {
  for (const parent of Array.from(bars.keys())) unfoldParent(parent);
}

export function unfoldAround(itemEl) {
  if (itemEl && itemEl.parentElement) unfoldParent(itemEl.parentElement);
}
