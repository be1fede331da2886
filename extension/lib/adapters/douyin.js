// douyin.com (../shared/notes/site-markup.md §3). Comment items carry data-e2e; the text has a
// hashed class and is found as the sibling of the info row that is not the stats row. Hidden
// pre-rendered (0x0) items are ignored. The chat view's classes are module names run together.
export default {
  name: 'douyin',
  hosts: ['douyin.com'],
  comments: [
    {
      item: '[data-e2e="comment-item"]',
      text: '.comment-item-info-wrap ~ :not(.comment-item-stats-container):not([class*="replyContainer"])',
      author: '.comment-item-info-wrap a',
      visibleOnly: true,
    },
  ],
  messages: {
    // §3b www.douyin.com/chat
    path: /^\/chat/,
    item: '[class*="messageMessageBoxmessageBox"]',
    text: '[class*="TextMessageTextpureText"], [class*="MessageItemTextbubbleTextContent"]',
    author: '[class*="MessageBoxMessageTitleavatarName"]',
    sender: '[class*="RightPanelHeadertitle"]',
    outgoing: '[class*="messageMessageBoxisFromMe"]',
    outgoingInside: '[class*="isFromMe"]',
    skip: '[class*="isFullRowCenterMessage"]',
    stranger: null,
  },
  composer: {
    input: '.public-DraftEditor-content, [data-e2e="comment-input"] [contenteditable="true"], [class*="imChatEditorContainer"] [contenteditable="true"], [class*="imChatEditorContainer"][contenteditable="true"]',
    submit: '[data-e2e="comment-post"]',
    // comments and chat both send on Enter
    enterSends: '.comment-input-container [contenteditable="true"], [class*="imChatEditorContainer"] [contenteditable="true"], [class*="imChatEditorContainer"][contenteditable="true"]',
  },
};
