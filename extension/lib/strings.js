// Strings shown inside web pages (blur labels, nudge dialog), in the page's language.
// Extension pages use _locales through chrome.i18n; these must follow the page instead.

export const PAGE_STRINGS = Object.freeze({
  en: {
    hidden: 'Hidden by Kindshield',
    hiddenMessage: 'Message folded by Kindshield',
    showAnyway: 'Show anyway',
    hideAgain: 'Hide again',
    wordsTitle: 'Words that caused this:',
    reason_toxic: 'likely abusive',
    reason_insult: 'insult',
    reason_threat: 'threat',
    reason_identity_attack: 'attack on identity',
    reason_obscene: 'obscene language',
    reason_targeted_person: 'targets a person',
    reason_stranger: 'from someone you do not follow',
    nudgeTitle: 'Before you post',
    nudgeDefault: 'This may hurt someone. Would you like to rephrase it?',
    nudgeWords: 'Words to look at:',
    edit: 'Edit',
    postAnyway: 'Post anyway',
    sendAgainEnter: 'Your text is still in the box: press Enter again to send it.',
    sendAgainClick: 'Your text is still in the box: press the send button again to send it.',
    reportFiled: 'Report filed. Evidence id:',
    reportFailed: 'The report could not be filed:',
  },
  zh: {
    hidden: '已被 Kindshield 隐藏',
    hiddenMessage: '此私信已被 Kindshield 折叠',
    showAnyway: '仍然显示',
    hideAgain: '重新隐藏',
    wordsTitle: '触发隐藏的词语：',
    reason_toxic: '疑似辱骂',
    reason_insult: '侮辱',
    reason_threat: '威胁',
    reason_identity_attack: '身份攻击',
    reason_obscene: '粗俗用语',
    reason_targeted_person: '针对个人',
    reason_stranger: '来自你未关注的人',
    nudgeTitle: '发布之前',
    nudgeDefault: '这段话可能会伤害到别人，要不要换个说法？',
    nudgeWords: '可以再看看这些词：',
    edit: '修改',
    postAnyway: '仍然发布',
    sendAgainEnter: '内容仍在输入框中：再按一次回车即可发送。',
    sendAgainClick: '内容仍在输入框中：再点一次发送按钮即可发送。',
    reportFiled: '举报已提交，证据编号：',
    reportFailed: '举报未能提交：',
  },
});

export function pageStrings(lang) {
  return PAGE_STRINGS[lang === 'zh' ? 'zh' : 'en'];
}

export function reasonText(lang, reason) {
  const s = pageStrings(lang);
  return s[`reason_${reason}`] || s.reason_toxic;
}
