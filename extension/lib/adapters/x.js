// x.com / twitter.com: posts and replies are articles with data-testid="tweet"; DMs on /messages.
export default {
  name: 'x',
  hosts: ['x.com', 'twitter.com'],
  comments: [
    { item: 'article[data-testid="tweet"]', text: '[data-testid="tweetText"]', author: '[data-testid="User-Name"]' },
  ],
  messages: {
    path: /^\/(messages|i\/chat)/,
    item: '[data-testid="messageEntry"]',
    text: '[data-testid="tweetText"], [data-testid="messageText"]',
    author: '[data-testid="DMConversationHeader"] [data-testid="User-Name"]',
    incoming: '[data-testid="messageEntry"][data-direction="received"]',
    stranger: '[data-testid="messageRequestBanner"]',
  },
  composer: {
    input: '[data-testid^="tweetTextarea_"][contenteditable="true"], [data-testid="dmComposerTextInput"]',
    submit: '[data-testid="tweetButton"], [data-testid="tweetButtonInline"], [data-testid="dmComposerSendButton"]',
    enterSends: '[data-testid="dmComposerTextInput"]',
  },
};
