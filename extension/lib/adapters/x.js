// x.com / twitter.com (../shared/notes/site-markup.md §6): posts and replies are
// article[data-testid="tweet"]; DMs in the new Chat UI (dm-* test ids, rows message-<uuid>,
// outgoing rows carry justify-end on the row itself) and the classic messageEntry UI.
export default {
  name: 'x',
  hosts: ['x.com', 'twitter.com'],
  comments: [
    { item: 'article[data-testid="tweet"]', text: '[data-testid="tweetText"]', author: '[data-testid="User-Name"] a' },
  ],
  messages: {
    path: /^\/(messages|i\/chat)/,
    item: '[data-testid^="message-"]:not([data-testid^="message-text-"]), [data-testid="messageEntry"]',
    text: '[data-testid^="message-text-"], [data-testid="tweetText"], div[dir="auto"]',
    // only the row's own class: the timestamp inside a bubble also uses justify-end
    outgoing: '[class~="justify-end"]',
    sender: '[data-testid="dm-conversation-header"], [data-testid="DMDrawerHeader"], [data-testid="conversationHeader"]',
    stranger: '[data-testid="dm-message-request-prompt"]',
  },
  composer: {
    input: '[data-testid^="tweetTextarea_"][contenteditable="true"], div[data-testid^="tweetTextarea"] textarea, textarea[data-testid="dm-composer-textarea"], [data-testid="dmComposerTextInput"]',
    submit: '[data-testid="tweetButton"], [data-testid="tweetButtonInline"], [data-testid="dm-composer-send-button"], [data-testid="dmComposerSendButton"]',
    enterSends: 'textarea[data-testid="dm-composer-textarea"], [data-testid="dmComposerTextInput"]',
  },
};
