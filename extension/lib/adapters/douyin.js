// douyin.com: comments are marked with data-e2e attributes; direct messages in the IM panel.
export default {
  name: 'douyin',
  hosts: ['douyin.com'],
  comments: [
    { item: '[data-e2e="comment-item"]', text: '[data-e2e="comment-text"], .comment-text', author: '[data-e2e="comment-user"], .comment-user' },
  ],
  messages: {
    path: /chat|message|im/i,
    item: '[data-e2e="msg-item"]',
    text: '[data-e2e="msg-text"]',
    author: '[data-e2e="msg-user"]',
    incoming: '[data-e2e="msg-item"][data-direction="in"]',
    stranger: '[data-e2e="stranger-tip"]',
  },
  composer: {
    input: '[data-e2e="comment-input"] [contenteditable="true"], [data-e2e="comment-input"] textarea, [data-e2e="msg-input"] [contenteditable="true"]',
    submit: '[data-e2e="comment-post"], [data-e2e="msg-send"]',
    enterSends: '[data-e2e="comment-input"] [contenteditable="true"], [data-e2e="msg-input"] [contenteditable="true"]',
  },
};
