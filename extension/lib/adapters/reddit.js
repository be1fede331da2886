// reddit.com (../shared/notes/site-markup.md §7): shreddit-comment (light DOM bodies, nested
// replies are child elements) and old.reddit's .thing.comment. Reddit's private messages are not
// covered by the notes, so none here.
export default {
  name: 'reddit',
  hosts: ['reddit.com'],
  comments: [
    { item: 'shreddit-comment', text: 'div[slot="comment"]', authorAttr: 'author', author: 'faceplate-hovercard a, [noun="comment_author"] a' },
    { item: '.thing.comment', text: '.entry .md', author: '.tagline a.author' },
  ],
  messages: null,
  composer: {
    input: 'shreddit-composer [contenteditable="true"][role="textbox"], .usertext-edit textarea[name="text"]',
    submit: 'shreddit-composer button[slot="submit-button"], button[slot="submit-button"], .usertext-edit button.save, .usertext-edit button[type="submit"]',
  },
};
