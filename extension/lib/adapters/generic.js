// Any other site (../shared/notes/site-markup.md §8–§13): comment systems with known markup, in
// priority order, each naming the element that holds the words (never the byline, date or reply
// link). Disqus runs inside its own frame on disqus.com once the person grants that site; Coral
// and OpenWeb render into open shadow roots, which the content script searches too.
export default {
  name: 'generic',
  hosts: [],
  comments: [
    // §8 WordPress (classic walker and block themes)
    { item: 'li.comment, .wp-block-comment-template > li', text: '.comment-content, .wp-block-comment-content', author: '.comment-author .fn, .wp-block-comment-author-name' },
    // §11 phpBB prosilver
    { item: 'div.post[id^="p"]', text: '.postbody div.content', author: '.postprofile .username, .postprofile .username-coloured, p.author .username' },
    // §9 Discourse: replies, not the opening post
    { item: '.topic-post', text: '.cooked', author: '.topic-meta-data .names a, .names a', exclude: '[data-post-number="1"]' },
    // §10 Disqus, in its frame
    { item: '#post-list li.post, li.post[id^="post-"]', text: '.post-message', author: '[data-role="username"], .author a' },
    // §13b Coral (inside #coral-shadow-container's shadow root)
    { item: '.coral-comment', text: '.coral-comment-content', author: '.coral-comment-username' },
    // §13a OpenWeb (inside its shadow host)
    { item: '[data-spot-im-class="message-text"]' },
    // schema.org microdata
    { item: '[itemprop="comment"], [itemtype$="schema.org/Comment"]', text: '[itemprop="text"]', author: '[itemprop="author"]' },
    // comments marked with their id: read whole
    { item: '[data-comment-id]' },
  ],
  messages: null,
  composer: {
    input: 'textarea, [contenteditable="true"], [contenteditable=""], .coral-rte-content, [role="textbox"]',
    submit: '#commentform #submit, #reply-control button.create, .coral-createComment-submit, .coral-createReplyComment-submit, [data-spot-im-class="rich-editor-send-button"], button[type="submit"], input[type="submit"]',
  },
};
