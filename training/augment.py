"""Augmentation: the evasions people use, and templated functional examples.

Two things live here:

* ``perturb`` rewrites a text the way abusers dodge filters (leet, spacing,
  zero-width characters, homoglyphs, misspellings; in Chinese pinyin initials,
  homophones and inserted symbols). Training applies it to a share of
  examples *before* normalisation, exactly as a real message would arrive.
* ``functional_examples`` builds small templated sets for what the corpora
  lack: Chinese insults/threats/obscenity (no Chinese data has those heads),
  and the hard negatives both corpora get wrong (negation, counter-speech,
  quoting, reclaimed words). Fillers are split in two disjoint halves: one
  half feeds training, the other is the functional dev set, so the dev
  figures measure generalisation to unseen words, not template recall.
"""
from __future__ import annotations

import random

ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]
HOMOGLYPH_OUT = {"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "y": "у", "i": "і"}
LEET_OUT = {"a": "4", "e": "3", "i": "1", "o": "0", "s": "$", "t": "7"}


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


class ChineseEvasions:
    """Pinyin initials and homophones built from pypinyin's data and the corpus characters."""

    def __init__(self, chars: list[str], lexicon: list[str]):
        from pypinyin import Style, lazy_pinyin

        self._lazy_pinyin = lazy_pinyin
        self._style = Style
        self.by_sound: dict[str, list[str]] = {}
        for ch in chars:
            py = lazy_pinyin(ch)[0]
            if py.isascii():
                self.by_sound.setdefault(py, []).append(ch)
        self.lexicon = sorted({w for w in lexicon if 2 <= len(w) <= 4}, key=len, reverse=True)

    def initials(self, word: str) -> str:
        return "".join(p[0] for p in self._lazy_pinyin(word) if p)

    def homophone(self, ch: str, rng: random.Random) -> str:
        py = self._lazy_pinyin(ch)[0]
        options = [c for c in self.by_sound.get(py, []) if c != ch]
        return rng.choice(options) if options else ch

    def perturb(self, text: str, rng: random.Random) -> str:
        words = [w for w in self.lexicon if w in text]
        r = rng.random()
        if words and r < 0.4:
            w = rng.choice(words)
            return text.replace(w, self.initials(w) if rng.random() < 0.6 else "".join(self._lazy_pinyin(w)), 1)
        chars = list(text)
        idx = [i for i, c in enumerate(chars) if _is_cjk(c)]
        if not idx:
            return text
        if r < 0.7:
            for i in rng.sample(idx, max(1, len(idx) // 8)):
                chars[i] = self.homophone(chars[i], rng)
            return "".join(chars)
        sep = rng.choice([" ", "*", ".", "-", "\u200b", "/"])
        for i in sorted(rng.sample(idx, max(1, len(idx) // 6)), reverse=True):
            chars.insert(i + 1, sep)
        return "".join(chars)


def perturb_latin(text: str, rng: random.Random) -> str:
    words = text.split(" ")
    cand = [i for i, w in enumerate(words) if len(w) >= 4 and w.isalpha()]
    if not cand:
        return text
    for i in rng.sample(cand, max(1, len(cand) // 5)):
        w = words[i]
        kind = rng.randrange(6)
        if kind == 0:
            w = "".join(LEET_OUT.get(c, c) if rng.random() < 0.6 else c for c in w)
        elif kind == 1:
            w = " ".join(w)
        elif kind == 2:
            pos = rng.randrange(1, len(w))
            w = w[:pos] + rng.choice(ZERO_WIDTH) + w[pos:]
        elif kind == 3:
            w = "".join(HOMOGLYPH_OUT.get(c, c) if rng.random() < 0.5 else c for c in w)
        elif kind == 4:
            pos = rng.randrange(len(w))
            w = w[:pos] + w[pos] * rng.randint(2, 5) + w[pos + 1:]
        else:  # deliberate misspelling: drop or swap a letter
            pos = rng.randrange(1, len(w) - 1)
            w = w[:pos] + w[pos + 1] + w[pos] + w[pos + 2:] if rng.random() < 0.5 else w[:pos] + w[pos + 1:]
        words[i] = w
    return " ".join(words)


# ---------------------------------------------------------------- templates
# Each filler list is split in half by position: even items train, odd items dev.
EN_INSULT_NOUNS = ["idiot", "moron", "loser", "clown", "imbecile", "jerk", "fool", "creep", "dumbass",
                   "piece of trash", "waste of space", "pathetic worm", "halfwit", "bitch", "asshole", "scumbag", "dipshit",
                   "degenerate", "retard", "prick", "subhuman", "nitwit", "cunt", "twat"]
EN_INSULT_ADJ = ["stupid", "worthless", "pathetic", "disgusting", "ugly", "brainless", "useless", "dumb",
                 "repulsive", "clueless", "braindead", "hideous"]
EN_THREATS = ["I will find you and hurt you", "I'm going to kill you", "you'd better watch your back",
              "I will beat the hell out of you", "someone should shoot you", "I know where you live, you're dead",
              "I'll make you bleed", "go kill yourself", "you deserve to be hanged", "I will burn your house down",
              "I'm coming for you tonight", "kys", "I will break every bone in your body",
              "you won't live to see tomorrow", "I'll stab you if I see you again", "keep talking and you'll end up in a ditch",
              "I'm going to make your life hell until you quit", "your family will pay for this"]
EN_OBSCENE = ["fuck this shit", "what the fuck", "holy shit", "this is fucking ridiculous", "damn it all to hell",
              "fucking hell", "bullshit", "shit happens", "this fucking game is broken again", "fuck me, that was close",
              "what a shitshow", "goddamn traffic"]
EN_GROUPS = ["women", "immigrants", "muslims", "gay people", "black people", "jews", "disabled people",
             "asians", "trans people", "refugees", "christians", "mexicans"]
EN_BENIGN = ["Thanks for sharing this, it really helped me", "What a lovely photo of your garden",
             "I disagree with your point about taxes, but I see where you come from",
             "Great game last night, the defence was solid", "Can anyone recommend a good book on history?",
             "Congratulations on the new job!", "This recipe turned out delicious", "I love how calm this video is",
             "The meeting is moved to Thursday", "Happy birthday, have a wonderful day",
             "I think the second option is better", "The train was late again this morning"]

# Praise in the insult frames: the frame ("you are such a ...", "你就是个...") is not the abuse.
EN_PRAISE = ["genius", "sweetheart", "legend", "great friend", "hero", "lifesaver", "gem", "champion",
             "good teacher", "star", "kind soul", "talented artist"]
ZH_PRAISE = ["天才", "好人", "宝藏", "暖男", "学霸", "大神", "小可爱", "好老师", "人才", "高手", "开心果", "好榜样"]
EN_HARMLESS = ["Nobody likes Mondays", "Nobody likes cold coffee", "Shut up, I love you", "Shut up, that's amazing!",
               "I'm going to kill it at the gym tomorrow", "You killed it on stage tonight",
               "This joke kills me", "Nobody likes waiting in traffic", "Shut up and take my money",
               "I'm dying to see the new episode", "That drop was sick", "You're crazy talented"]
ZH_HARMLESS = ["笑死我了", "这个视频太好笑了，我要笑死了", "你真是个宝藏博主", "闭嘴吧，你太可爱了", "累死我了，终于下班了",
               "这道题难死了", "你怎么这么厉害", "我要被你笑死", "没人喜欢周一", "楼主真是个人才，笑死",
               "热死了，今天三十八度", "馋死我了"]
ZH_INSULT_NOUNS = ["傻逼", "废物", "垃圾", "蠢货", "白痴", "脑残", "贱人", "狗东西", "智障", "人渣", "畜生", "杂种",
                   "猪脑子", "死肥猪", "婊子", "神经病",
                   "弱智", "贱货", "蠢猪", "丑八怪", "狗杂种", "臭傻逼", "死妈玩意", "废柴", "low逼", "二百五", "下三滥", "王八蛋"]
ZH_THREATS = ["我要弄死你", "小心我找人打断你的腿", "我知道你住哪，你等着", "信不信我杀了你", "出门小心点，别让我碰到你",
              "我会让你全家付出代价", "你怎么还不去死", "迟早有人收拾你", "我要把你的照片发到网上让你身败名裂",
              "你去跳楼吧", "我砍死你", "等着被人肉吧",
              "我会找到你的，你跑不掉", "再让我看到你就打死你", "把你家地址发出来，我去找你", "我让你活不过明天",
              "一刀捅死你", "你给我等着，有你好看的", "小心你的家人", "我要打爆你的头", "你再说一句试试，我弄死你",
              "早晚让你横着出去", "我花钱找人废了你", "信不信我去你单位闹"]
# Exclamations aimed at no one (not toxic: Kindshield's "toxic" is abuse aimed at someone) ...
ZH_OBSCENE = ["卧槽", "他妈的", "妈的", "日了狗了", "我操", "操蛋", "他娘的", "真他妈烦", "我靠，什么鬼", "妈了个巴子"]
# ... and the same words aimed at the reader, which are insults.
ZH_OBSCENE_AT_YOU = ["操你妈", "去你妈的", "狗日的", "滚你妈的蛋", "草泥马", "卧槽尼玛"]
ZH_GROUPS = ["女人", "河南人", "黑人", "东北人", "外地人", "同性恋", "穆斯林", "农村人", "残疾人", "上海人", "女司机", "老人"]
ZH_BENIGN = ["谢谢分享，学到了很多", "今天天气真好，出去走走", "这家店的菜很好吃", "祝你生日快乐", "我不太同意这个观点，但理解你的意思",
             "这个视频剪得真不错", "明天开会改到下午三点", "加油，期待你的新作品", "这本书值得一读", "恭喜你考上研究生",
             "周末一起去爬山吧", "楼主说得有道理"]


def _half(items: list, split: str) -> list:
    return items[0::2] if split == "train" else items[1::2]


def functional_examples(split: str, rng: random.Random) -> list[tuple[str, dict[str, int], str, str]]:
    """(text, labels, lang, case) rows. ``case`` names the functional category."""
    rows: list[tuple[str, dict[str, int], str, str]] = []
    nouns, adjs = _half(EN_INSULT_NOUNS, split), _half(EN_INSULT_ADJ, split)
    threats, obscene = _half(EN_THREATS, split), _half(EN_OBSCENE, split)
    groups, benign = _half(EN_GROUPS, split), _half(EN_BENIGN, split)

    def add(text, lang, case, **labels):
        rows.append((text, labels, lang, case))

    for n in nouns:
        for t in ["You are such a {n}", "Shut up, you {n}", "@USER what a {n} you are", "Nobody likes you, {n}"]:
            add(t.format(n=n), "en", "insult", toxic=1, insult=1, targeted_person=1, threat=0)
        add(f"Calling someone a {n} is not okay", "en", "counter_speech", toxic=0, insult=0, targeted_person=0)
        add(f'He said "you are a {n}" to me and I reported him', "en", "quote", toxic=0, targeted_person=0)
        add(f"You are not a {n}, you are doing great", "en", "negation", toxic=0, insult=0, targeted_person=0)
    for a in adjs:
        add(f"You are {a} and everyone knows it", "en", "insult", toxic=1, insult=1, targeted_person=1)
        add(f"I don't think you are {a} at all", "en", "negation", toxic=0, insult=0, targeted_person=0)
        add(f"This weather is {a} today", "en", "non_targeted", toxic=0, insult=0, targeted_person=0)
    for n in nouns:
        # A short insult inside a long friendly message must not be diluted away.
        b = rng.choice(benign)
        add(f"{b}. But honestly, you are a {n}.", "en", "dilution", toxic=1, insult=1, targeted_person=1)
        add(f"你就是个{n}", "zh", "mixed_script", toxic=1, insult=1, targeted_person=1)
    for t in threats:
        add(t, "en", "threat", toxic=1, threat=1, targeted_person=1)
        add(f"{t}. Watch yourself.", "en", "threat", toxic=1, threat=1, targeted_person=1)
        add(f"@USER {t}", "en", "threat", toxic=1, threat=1, targeted_person=1)
        add(f"{rng.choice(benign)}. Anyway, {t}", "en", "dilution", toxic=1, threat=1, targeted_person=1)
        add(f'Posting "{t}" to a stranger is never acceptable', "en", "counter_speech", toxic=0, threat=0)
        add(f'Someone wrote "{t}" under my post, so I reported it', "en", "quote", toxic=0, threat=0)
    for o in obscene:
        # Swearing at no one is obscene, not abuse.
        add(o, "en", "obscene", toxic=0, obscene=1, targeted_person=0, threat=0, insult=0)
        add(f"{o}!", "en", "obscene", toxic=0, obscene=1, targeted_person=0, threat=0, insult=0)
    for g in groups:
        add(f"All {g} are vermin and should be removed", "en", "identity", toxic=1, identity_attack=1, threat=0)
        add(f"I hate {g}, they ruin everything", "en", "identity", toxic=1, identity_attack=1)
        add(f"Saying you hate {g} shows how wrong you are", "en", "counter_speech", toxic=0, identity_attack=0)
        add(f"I don't hate {g}, I have many friends among them", "en", "negation", toxic=0, identity_attack=0)
        add(f"{g} deserve the same respect as everyone", "en", "counter_speech", toxic=0, identity_attack=0)
    for b in benign:
        add(b, "en", "benign", toxic=0, insult=0, threat=0, identity_attack=0, obscene=0, targeted_person=0)
    none = dict(toxic=0, insult=0, threat=0, identity_attack=0, obscene=0, targeted_person=0)
    for praise in _half(EN_PRAISE, split):
        for t in ["You are such a {p}", "@USER what a {p} you are", "Honestly, you are a {p}"]:
            add(t.format(p=praise), "en", "praise_frame", **none)
        add(f"{rng.choice(benign)}. But honestly, you are a {praise}.", "en", "praise_frame", **none)
    for h in _half(EN_HARMLESS, split):
        add(h, "en", "harmless_idiom", **none)
    add("As a queer person I'm proud to call myself queer", "en", "reclaimed", toxic=0, identity_attack=0)
    add("We're here, we're queer, get used to it", "en", "reclaimed", toxic=0, identity_attack=0)

    nouns, threats, obscene = _half(ZH_INSULT_NOUNS, split), _half(ZH_THREATS, split), _half(ZH_OBSCENE, split)
    groups, benign = _half(ZH_GROUPS, split), _half(ZH_BENIGN, split)
    for n in nouns:
        for t in ["你就是个{n}", "闭嘴吧{n}", "楼主真是个{n}", "你这种{n}怎么还有脸说话"]:
            add(t.format(n=n), "zh", "insult", toxic=1, insult=1, targeted_person=1, threat=0)
        add(f"骂别人{n}是不对的", "zh", "counter_speech", toxic=0, insult=0, targeted_person=0)
        add(f"你不是{n}，你已经做得很好了", "zh", "negation", toxic=0, insult=0, targeted_person=0)
        add(f"他在评论里骂我“{n}”，我已经举报了", "zh", "quote", toxic=0, targeted_person=0)
    for n in nouns:
        add(f"{rng.choice(benign)}，不过说真的，你就是个{n}", "zh", "dilution", toxic=1, insult=1, targeted_person=1)
    en_nouns = _half(EN_INSULT_NOUNS, split)
    for n in en_nouns[:6]:
        add(f"you are such a {n}，{rng.choice(nouns)}", "zh", "mixed_script", toxic=1, insult=1, targeted_person=1)
    for t in threats:
        add(t, "zh", "threat", toxic=1, threat=1, targeted_person=1)
        add(f"{t}！", "zh", "threat", toxic=1, threat=1, targeted_person=1)
        add(f"楼主，{t}", "zh", "threat", toxic=1, threat=1, targeted_person=1)
        add(f"{rng.choice(benign)}。还有，{t}", "zh", "dilution", toxic=1, threat=1, targeted_person=1)
        add(f"在网上说“{t}”这种话是违法的", "zh", "counter_speech", toxic=0, threat=0)
        add(f"有人给我留言“{t}”，我已经报警了", "zh", "quote", toxic=0, threat=0)
    for o in obscene:
        add(o, "zh", "obscene", toxic=0, obscene=1, targeted_person=0, insult=0)
        add(f"{o}，这游戏又卡了", "zh", "obscene", toxic=0, obscene=1, targeted_person=0, insult=0)
        add(f"{o}！", "zh", "obscene", toxic=0, obscene=1, targeted_person=0, insult=0)
    for o in _half(ZH_OBSCENE_AT_YOU, split):
        add(o, "zh", "insult", toxic=1, obscene=1, insult=1, targeted_person=1)
        add(f"楼主{o}", "zh", "insult", toxic=1, obscene=1, insult=1, targeted_person=1)
    for g in groups:
        add(f"{g}都是垃圾，滚出去", "zh", "identity", toxic=1, identity_attack=1)
        add(f"说{g}都不好是地域黑，这种偏见要不得", "zh", "counter_speech", toxic=0, identity_attack=0)
        add(f"我不讨厌{g}，大家都一样", "zh", "negation", toxic=0, identity_attack=0)
    for b in benign:
        add(b, "zh", "benign", toxic=0, insult=0, threat=0, identity_attack=0, obscene=0, targeted_person=0)
    for praise in _half(ZH_PRAISE, split):
        for t in ["你就是个{p}", "楼主真是个{p}", "你真是个{p}啊"]:
            add(t.format(p=praise), "zh", "praise_frame", **none)
        add(f"{rng.choice(benign)}，不过说真的，你就是个{praise}", "zh", "praise_frame", **none)
    for h in _half(ZH_HARMLESS, split):
        add(h, "zh", "harmless_idiom", **none)
    rng.shuffle(rows)
    return rows
