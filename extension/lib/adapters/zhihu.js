// zhihu.com (../shared/notes/site-markup.md §4): emotion-styled comment divs with data-id inside
// .Comments-container, text in .CommentContent; the old CommentItemV2 markup as a fallback.
// Zhihu's private messages are not covered by the notes, so none here.
export default {
  name: 'zhihu',
  hosts: ['zhihu.com'],
  comments: [
    { item: '.Comments-container [data-id]', text: '.CommentContent', author: 'a[href*="/people/"]:not(:has(img))' },
    { item: '.CommentItemV2', text: '.CommentItemV2-content, .CommentContent', author: '.UserLink-link' },
  ],
  messages: null,
  composer: {
    input: '.Comments-container [contenteditable="true"], .Editable-content [contenteditable="true"]',
    submit: '.Comments-container button[type="submit"]',
  },
};
