// bilibili.com video and dynamic comments (the reply-item markup), and message.bilibili.com.
export default {
  name: 'bilibili',
  hosts: ['bilibili.com'],
  comments: [
    { item: '.reply-item .root-reply-container, .sub-reply-item', text: '.reply-content', author: '.user-name, .sub-user-name' },
    { item: '.list-item.reply-wrap .con', text: '.text', author: '.user .name' },
  ],
  messages: {
    path: /whisper|message|im/i,
    item: '.msg-item',
    text: '.message-content',
    author: '.msg-user',
    incoming: '.msg-item.is-left',
    stranger: '.stranger-notice',
  },
  composer: {
    input: '.reply-box-textarea, .reply-box textarea, .send-box textarea',
    submit: '.reply-box-send, .send-box .btn-send',
    enterSends: '.send-box textarea',
  },
};
