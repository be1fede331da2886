// youtube.com comments (custom elements, light DOM ids). YouTube has no direct messages.
export default {
  name: 'youtube',
  hosts: ['youtube.com'],
  comments: [
    { item: 'ytd-comment-view-model, ytd-comment-renderer', text: '#content-text', author: '#author-text' },
  ],
  messages: null,
  composer: {
    input: 'ytd-commentbox #contenteditable-root, ytd-commentbox textarea',
    submit: 'ytd-commentbox #submit-button button, ytd-commentbox #submit-button',
  },
};
