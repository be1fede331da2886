// weibo.com's "wbpro" Vue app and m.weibo.cn (../shared/notes/site-markup.md §2). The comment list
// sits in a vue-recycle-scroller that reuses item nodes: the content script re-reads a node when
// its text changes. Weibo's private messages are not covered by the notes, so none here.
export default {
  name: 'weibo',
  hosts: ['weibo.com', 'weibo.cn'],
  comments: [
    // §2a: .item1 (top level) and .item2 (sub-replies); in .text the author link comes first, then the text span
    { item: '.wbpro-list .item1, .wbpro-list .item2', text: '.text > span', author: '.text > a' },
    // §2b m.weibo.cn
    { item: '.comment-content .card', text: '.cmt-sub-txt' },
    // §2a legacy V6
    { item: '.list_li[comment_id]', text: '.WB_text', author: '.WB_text > a[usercard]' },
  ],
  messages: null,
  composer: {
    input: 'textarea[class*="Form_input"], .wbpro-form textarea',
    submit: '.wbpro-form [class*="Tool_btn"], .wbpro-form button[type="submit"]',
  },
};
