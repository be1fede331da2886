// bilibili.com (../shared/notes/site-markup.md §1). Video and dynamic comments are the v3 web
// components, each level in its own open shadow root; v2 pages keep .reply-item; t.bilibili.com
// dynamics are light DOM; private messages live on message.bilibili.com (CSS-module classes,
// matched by substring because the hash part changes between builds).
export default {
  name: 'bilibili',
  hosts: ['bilibili.com'],
  comments: [
    // §1a v3: bili-comments ⟶ thread ⟶ bili-comment-renderer / bili-comment-reply-renderer;
    // the text is bili-rich-text's #contents (under #content, #main or #body: anywhere in the root)
    {
      item: 'bili-comment-renderer, bili-comment-reply-renderer',
      text: '>>> bili-rich-text >>> #contents',
      author: '>>> bili-comment-user-info >>> #user-name',
    },
    // §1a v2 fallback
    { item: '.reply-item, .sub-reply-item', text: '.reply-content', author: '.user-name, .sub-user-name' },
    // §1b dynamics on t.bilibili.com
    {
      item: '.bili-dyn-list__item',
      text: '.bili-dyn-content .bili-rich-text__content, .bili-dyn-content .dyn-card-opus__summary',
      author: '.bili-dyn-title__text',
    },
  ],
  messages: {
    // §1c message.bilibili.com/#/whisper/mid<UID>
    path: /whisper/i,
    item: 'main [class*="_Msg_"]',
    text: '[class*="MsgText"]',
    outgoing: '[class*="_MsgIsMe_"]',
    outgoingInside: '[class*="MsgTextIsMe"]',
    stranger: null,
  },
  composer: {
    // the v3 rich textarea (contenteditable two shadow roots down), its older textarea, the DM box
    input: '.brt-editor, bili-comment-textarea textarea, textarea#input, main [contenteditable="true"]',
    submit: '#pub button',
  },
};
