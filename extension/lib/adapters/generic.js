// Any other site: comment-like blocks of blogs and forums (schema.org Comment, WordPress,
// Disqus-style lists, Discourse and phpBB-like posts). Deliberately conservative.
export default {
  name: 'generic',
  hosts: [],
  comments: [
    { item: '[itemprop="comment"], [itemtype$="schema.org/Comment"]', text: '[itemprop="text"]', author: '[itemprop="author"]' },
    { item: 'li.comment, article.comment, div.comment', text: '.comment-content, .comment-body, .comment-text', author: '.comment-author, .fn, .author' },
    { item: '.topic-post, .forum-post, .post-reply', text: '.cooked, .post-body, .postbody .content, .content', author: '.username, .author' },
    { item: '.comment-item, .reply-item, [data-comment-id]', text: '.comment-content, .comment-text, .content, p' , author: '.author, .user, .username' },
  ],
  messages: null,
  composer: {
    input: 'textarea, [contenteditable="true"], [contenteditable=""]',
    submit: 'button[type="submit"], input[type="submit"]',
  },
};
