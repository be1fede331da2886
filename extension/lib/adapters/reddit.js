// reddit.com: shreddit-comment elements (new reddit) and old reddit's .comment markup.
export default {
  name: 'reddit',
  hosts: ['reddit.com'],
  comments: [
    { item: 'shreddit-comment', text: 'div[slot="comment"]', authorAttr: 'author' },
    { item: '.comment .entry', text: '.usertext-body .md', author: '.author' },
  ],
  messages: {
    path: /^\/message\//,
    item: '.message',
    text: '.md',
    author: '.author',
    incoming: '.message.recipient',
    stranger: null,
  },
  composer: {
    input: 'shreddit-composer [contenteditable="true"], .usertext-edit textarea, comment-composer-host textarea',
    submit: 'shreddit-composer button[slot="submit-button"], .usertext-edit button.save, button[type="submit"]',
  },
};
