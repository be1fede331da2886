// zhihu.com answers' comments (CommentItemV2 and the newer data-id comment list) and messages.
export default {
  name: 'zhihu',
  hosts: ['zhihu.com'],
  comments: [
    { item: '.CommentItemV2', text: '.CommentItemV2-content, .CommentContent', author: '.UserLink-link' },
    { item: '.Comments-container div[data-id]', text: '.CommentContent', author: '.UserLink-link, a[href*="/people/"]' },
  ],
  messages: {
    path: /^\/messages/,
    item: '.ChatListItem, .MessagesBox-item',
    text: '.ChatBubble, .MessagesBox-content',
    author: '.ChatUserName',
    incoming: '.MessagesBox-item--left, .ChatListItem--incoming',
    stranger: '.ChatSideBar-stranger, .MessagesBox-strangerTip',
  },
  composer: {
    input: '.CommentEditorV2-inputWrap [contenteditable="true"], .CommentEditor textarea, .MessagesBox-input textarea',
    submit: '.CommentEditorV2-singleButton, .CommentEditor button[type="submit"], .MessagesBox-send',
    enterSends: '.MessagesBox-input textarea',
  },
};
