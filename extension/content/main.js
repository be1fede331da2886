// Content-script entry. Source only: tools/build_content.mjs bundles it, with everything it
// imports, into content/bundle.js, one classic script that the service worker registers for the
// sites the person granted. Nothing of the extension is web-accessible, so a page can neither
// detect Kindshield by fetching its files nor read its code.
import { start } from './app.js';

if (!globalThis.__kindshieldLoaded) {
  globalThis.__kindshieldLoaded = true;
  start().catch(() => { /* extension reloaded while starting: leave the page alone */ });
}
