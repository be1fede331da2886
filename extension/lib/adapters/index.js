// Adapter selection. Production: by the page's hostname only. End-to-end tests run the
// extension with settings.testMode on and local pages declaring the markup they reproduce
// (<html data-kindshield-site="weibo">); without testMode that declaration is ignored.

import { hostMatches } from '../text.js';
import weibo from './weibo.js';
import bilibili from './bilibili.js';
import douyin from './douyin.js';
import zhihu from './zhihu.js';
import youtube from './youtube.js';
import x from './x.js';
import reddit from './reddit.js';
import generic from './generic.js';

export const SITE_ADAPTERS = Object.freeze([weibo, bilibili, douyin, zhihu, youtube, x, reddit]);
export const GENERIC = generic;
export const ALL_ADAPTERS = Object.freeze([...SITE_ADAPTERS, generic]);

export function adapterByName(name) {
  return ALL_ADAPTERS.find((a) => a.name === name) || null;
}

export function adapterForHost(hostname) {
  return SITE_ADAPTERS.find((a) => hostMatches(hostname, a.hosts)) || GENERIC;
}

/** @param {{hostname: string, declared?: string|null, testMode?: boolean}} where */
export function selectAdapter({ hostname, declared = null, testMode = false }) {
  if (testMode && declared) {
    const a = adapterByName(declared);
    if (a) return a;
  }
  return adapterForHost(hostname);
}

/** Every hostname pattern the site adapters cover, as manifest match patterns. */
export function supportedMatchPatterns() {
  const out = [];
  for (const a of SITE_ADAPTERS) {
    for (const h of a.hosts) out.push(`https://${h}/*`, `https://*.${h}/*`);
  }
  return out;
}
