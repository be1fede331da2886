// weibo.com (new Vue web app and the legacy V6 pages), weibo.cn and its direct messages.
export default {
  name: 'weibo',
  hosts: ['weibo.com', 'weibo.cn'],
  comments: [
    { item: '.wbpro-list .item1in, .wbpro-list .item2in', text: '.text > span', author: '.text > a' },
    { item: '.list_li[comment_id]', text: '.WB_text', author: '.WB_text > a[usercard]' },
    { item: '.comment-content .card', text: '.m-text-box', author: '.m-text-cut' },
  ],
  messages: {
    path: /chat|message/i,
    item: '.msg-item',
    text: '.msg-text',
    author: '.msg-name',
    incoming: '.msg-item.msg-left',
    stranger: '.stranger-tip',
  },
  composer: {
    input: '.wbpro-form textarea, .comment-composer textarea, .msg-input textarea',
    submit: '.wbpro-form button[type="submit"], .comment-composer .btn-send, .msg-input .btn-send',
    enterSends: '.msg-input textarea',
  },
};
