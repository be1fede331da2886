// SHA-256 of a text as hex (WebCrypto): the analysis cache's keys, so the cache holds no text
// and a crafted text cannot collide with another one's entry (a 64-bit FNV key could).

export async function sha256Hex(text) {
  const bytes = new TextEncoder().encode(String(text));
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}
