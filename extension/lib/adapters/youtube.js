// youtube.com desktop and m.youtube.com (../shared/notes/site-markup.md §5). Desktop uses
// ytd-comment-view-model for comments and replies (ytd-comment-renderer on older pages); mobile
// ytm-comment-renderer / ytm-comment-view-model. Nothing inside the comment box itself.
export default {
  name: 'youtube',
  hosts: ['youtube.com'],
  comments: [
    { item: 'ytd-comment-view-model, ytd-comment-renderer', text: '#content-text', author: '#author-text', notInside: '#simple-box, ytd-comment-simplebox-renderer' },
    { item: 'ytm-comment-renderer', text: '.YtmCommentRendererText', author: '.YtmCommentRendererTitle' },
    { item: 'ytm-comment-view-model', text: '.yt-core-attributed-string' },
  ],
  messages: null,
  composer: {
    input: 'ytd-commentbox #contenteditable-root, ytm-comment-simplebox-renderer textarea, ytm-comment-dialog-renderer textarea',
    submit: 'ytd-commentbox #submit-button button, ytd-commentbox #submit-button',
  },
};
