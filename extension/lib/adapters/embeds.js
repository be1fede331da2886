// Comment systems that live in a cross-origin frame (../shared/notes/site-markup.md §10, "How to
// reach it: Iframes"). The host page cannot read them; the content script runs inside the frame
// when the person has granted the frame's site. The top frame only reports which of these embeds
// a page carries, so that the popup can offer to protect them too. Plain data and pure functions.

export const EMBEDS = Object.freeze([
  Object.freeze({ name: 'disqus', host: '#disqus_thread iframe', frame: /^https:\/\/(?:[\w-]+\.)?disqus\.com\/embed\/comments\//, origins: ['https://disqus.com/*'] }),
]);

/** The embeds among a page's frame addresses: [{ name, origins }], each once. */
export function embedsIn(frameUrls) {
  const out = [];
  for (const e of EMBEDS) {
    if ((frameUrls || []).some((u) => e.frame.test(String(u || '')))) out.push({ name: e.name, origins: [...e.origins] });
  }
  return out;
}

/** Only origins of known embeds may be stored or requested from a page's report. */
export function knownEmbedOrigins(origins) {
  const allowed = new Set(EMBEDS.flatMap((e) => e.origins));
  return (Array.isArray(origins) ? origins : []).filter((o) => allowed.has(o));
}
