"""Compositional training sentences for the categories fixed lists generalise worst on.

2.0 learned the 13 implicit threats and 13 doxxing lines it trained on, and not the
idea behind them: on new wording it caught a third to a half. Here each sentence is
built from parts (who / what is known / where / when / what follows), so the model
sees hundreds of combinations instead of a dozen fixed lines, and no single frame.

Also the benign side the corpora get wrong: swearing aimed at no one (surprise,
pain, joy) and self-deprecation / reclaimed words. Those were labelled *toxic* by
the old "obscene" templates and by OLID's untargeted-offensive rows; Kindshield's
``toxic`` means abuse aimed at someone, so they are ``toxic=0, obscene=1`` here.

Every part list is halved with ``_half`` (even items train, odd items dev), so the
train and dev sentences share no filler. The wording is our own and separate from
the functional test suite (never read it to write these). ``composed_examples``
samples a fixed number per category, so this stays a small share of the mix.
"""
from __future__ import annotations

import itertools
import random

from training.augment import _half

Row = tuple[str, dict[str, int], str, str]

NONE = dict(toxic=0, insult=0, threat=0, identity_attack=0, obscene=0, targeted_person=0)
THREAT = dict(toxic=1, threat=1, insult=0, identity_attack=0, obscene=0, targeted_person=1)
PROFANITY = dict(toxic=0, insult=0, threat=0, identity_attack=0, obscene=1, targeted_person=0)
SELF_TALK = dict(toxic=0, insult=0, threat=0, identity_attack=0, targeted_person=0)

# ------------------------------------------------------ implicit threats (en)
EN_KNOWN = [
    "where you live", "where you work", "which gym you go to", "what car you drive",
    "the route you take home", "when your bus comes", "where your kids go to school",
    "your mom's address", "which floor your flat is on", "the cafe you sit in every morning",
    "what time your shift ends", "where you park at night", "your sister's school",
    "which dorm you're in", "your new address", "the name of your dog and where you walk him",
    "when your wife gets home", "the bar you go to on Fridays", "your office building",
    "which train you take", "your grandma's nursing home", "your daughter's bus stop",
]
EN_KNOWN_HEAD = ["I know", "we know", "I found out", "funny, I just learned", "guess who knows",
                 "I've figured out", "I already know", "just so you know, I know"]
EN_KNOWN_TAIL = ["", ". see you soon", ". think about that", ". sleep tight", ", be seeing you",
                 ". I'd be careful if I were you", ". just saying", " 🙂", ". tick tock",
                 ". your move", " and I'm not far", ". no need to reply"]
EN_CAREFUL = ["be careful", "watch yourself", "keep looking over your shoulder", "stay alert",
              "I'd lock the door", "don't get too comfortable", "check your back seat",
              "I'd stay inside", "look behind you", "keep the lights on"]
EN_WHEN = ["walking home tonight", "when you leave work", "this weekend", "from now on",
           "next time you go out", "after dark", "on your way to school", "when you're alone",
           "when you open your front door", "at your next stream meetup"]
EN_CONSEQUENCE = [
    "you'll regret {x}", "you're going to pay for {x}", "{x} will cost you", "you'll be sorry about {x}",
    "remember {x} when it happens", "people have disappeared for less than {x}",
    "you will answer for {x} in person", "{x} is the last mistake you make",
]
EN_CONSEQUENCE_X = ["this", "that post", "what you said", "that video", "talking to me like that",
                    "every word", "this review", "reporting me", "that comment", "what you did"]
EN_NEAR = ["I'm outside your house", "I'm across the street from your work", "I'm in your building",
           "I'm near your school", "I'm parked by your car", "I'm at the end of your road",
           "I'm waiting by your gate", "I'm two streets away", "I'm sitting in your lobby"]
EN_NEAR_TAIL = ["", " right now", ", come outside", " and I'm patient", ", take your time",
                ". we should talk face to face", ". nice curtains"]

# ------------------------------------------------------ implicit threats (zh)
ZH_KNOWN = ["住哪", "在哪上班", "孩子在哪上学", "每天几点出门", "开什么车", "住几栋几楼", "常去哪家健身房",
            "坐哪趟地铁", "爸妈住哪", "在哪个学校", "宿舍是哪间", "下班走哪条路", "几点放学", "周末去哪遛狗",
            "老婆在哪上班", "常去哪家网吧", "新家在哪", "公司在几楼", "每天在哪吃饭", "车停在哪"]
ZH_KNOWN_HEAD = ["我知道你", "我们已经知道你", "我早就查到你", "别以为我不知道你", "我打听到你",
                 "告诉你，我清楚你", "你猜我知不知道你"]
ZH_KNOWN_TAIL = ["", "，等着", "，小心点", "，回头见", "，咱们慢慢玩", "，你自己掂量", "，晚上睡得着吗",
                 "，别说我没提醒你", "[微笑]", "，好好想想", "，见面聊"]
ZH_CAREFUL = ["出门小心点", "走路多看看身后", "晚上别一个人", "睡觉锁好门", "最近少出门", "上下班注意点",
              "记得关好窗", "开车小心点", "回家路上留个心眼", "好好珍惜这几天"]
ZH_WHEN = ["", "今晚", "这几天", "以后", "下班的时候", "放学路上", "这周末", "一个人的时候"]
ZH_CONSEQUENCE = ["你会为{x}后悔的", "{x}的账我记下了", "你会为{x}付出代价", "{x}，咱们没完",
                  "等着为{x}买单吧", "{x}，这事不会就这么算了", "因为{x}，你会知道我是谁", "{x}，你跑不掉的"]
ZH_CONSEQUENCE_X = ["今天这句话", "你发的那条视频", "你说的话", "你举报我", "这条差评", "你做的事",
                    "这个帖子", "你那天的态度", "你曝光我", "你删我评论"]
ZH_NEAR = ["我就在你家楼下", "我在你公司门口", "我在你学校对面", "我就在你小区里", "我在你车旁边",
           "我到你家门口了", "我已经在你们单位楼下", "我在你宿舍楼下"]
ZH_NEAR_TAIL = ["", "，下来聊聊", "，不急，我等你", "，出来吧", "，你家窗帘挺好看", "，当面说清楚"]

# ----------------------------------------------------------------- doxxing
EN_DOX_VERB = ["posting", "leaking", "dropping", "sharing", "pinning", "sending everyone", "putting up",
               "spreading", "uploading", "publishing", "passing around", "about to post"]
EN_DOX_WHOSE = ["her", "his", "your", "this guy's", "the streamer's", "that girl's", "OP's", "their"]
EN_DOX_WHAT = ["home address", "phone number", "workplace", "school and class", "real name", "parents' address",
               "license plate", "IP and city", "boss's email", "ID card photo", "dorm room number",
               "family's names", "daily schedule", "personal email", "new address", "kid's school",
               "wife's number", "street and house number"]
EN_DOX_WHERE = ["", " in the group chat", " on the forum", " everywhere", " tonight", " in every server",
                " in the replies", " on the board", " in the discord", " on my story"]
EN_DOX_TAIL = ["", ". you know what to do", ". go say hi", ". have fun with it", ". call at 3am",
               ". make it trend", ". everyone show up", ". let's pay a visit", ". spam it"]
EN_DOX_FOUND = ["found", "dug up", "tracked down", "pulled", "got", "traced"]

ZH_DOX_WHOSE = ["他", "她", "你", "这人", "楼主", "这个博主", "那个女的", "这个主播"]
ZH_DOX_WHAT = ["家庭住址", "手机号", "身份证号", "工作单位", "学校和班级", "真名", "爸妈电话", "车牌号",
               "微信号", "宿舍号", "户口信息", "老板电话", "孩子学校", "小区门牌号", "QQ号", "公司地址",
               "照片和住址", "前任信息"]
ZH_DOX_VERB = ["挂出来", "发出来", "扒出来", "公开", "发到群里", "贴到超话", "发到网上", "曝光",
               "发到表白墙", "发给所有人", "放评论区", "传出去"]
ZH_DOX_HEAD = ["把", "赶紧把", "我已经把", "马上把", "谁去把", "今晚就把", "大家一起把", "我这就把"]
ZH_DOX_TAIL = ["", "，大家冲", "，懂的都懂", "，去找她", "，你们自己看着办", "，打爆他电话", "，去他家门口",
               "，让他出名", "，都去问候一下"]
ZH_DOX_DONE = ["人肉到了", "开盒了", "扒到了", "查到了", "找到了", "挖出来了"]

# ------------------------------------------------ swearing aimed at no one
EN_SWEAR = ["fuck", "shit", "holy shit", "damn", "goddamn", "fucking hell", "oh fuck", "shit shit shit",
            "what the fuck", "fuckin", "bloody hell", "ffs", "wtf", "son of a bitch", "motherfucker",
            "hell yeah", "fuck yes", "jesus fucking christ"]
EN_SWEAR_SITUATION = [
    "my coffee went all over the keyboard", "the printer jammed again", "I just stubbed my toe",
    "we actually won the final", "the ending of that show", "this weather", "my code compiled first try",
    "I overslept and missed my exam", "this pizza is incredible", "the wifi died mid match",
    "my flight got cancelled", "I passed my driving test", "look at the size of that spider",
    "the rent went up again", "I forgot my umbrella", "that thunder was loud",
    "the last level took me six hours", "my phone screen cracked", "I got the job",
    "the bus left right in front of me",
]
EN_SWEAR_FRAMES = ["{s}, {x}", "{x}, {s}", "{s}!! {x}", "{x}. {s}.", "{s} {x} lol", "ok {s}, {x}"]
ZH_SWEAR = ["卧槽", "我靠", "妈的", "他妈的", "我操", "靠", "尼玛", "我去", "卧槽卧槽", "日了", "艹", "我擦",
            "淦", "草", "真他妈", "woc"]
ZH_SWEAR_SITUATION = ["电脑又蓝屏了", "今天又要加班", "这题也太难了", "脚趾撞到桌角了", "这个结局太好哭了",
                      "我居然中奖了", "外卖洒了一地", "地铁又晚点了", "这烟花也太美了", "考试过了",
                      "手机掉厕所了", "下雨没带伞", "这家火锅绝了", "又堵车了", "房租又涨了", "这游戏又掉线",
                      "我抽到金了", "闹钟没响，迟到了", "这蜘蛛也太大了", "终于放假了"]
ZH_SWEAR_FRAMES = ["{s}，{x}", "{x}，{s}", "{s}{s}，{x}", "{x}……{s}", "{s}！{x}", "{x}，真{s}"]

# ----------------------------------------------- self-deprecation / reclaimed
EN_SELF_NOUN = ["idiot", "clown", "dumbass", "mess", "disaster", "moron", "goblin", "loser", "dork",
                "nerd", "trash gremlin", "potato", "absolute walnut", "fool"]
EN_SELF_FRAMES = [
    "forgot my keys in the door again, I'm a total {n}", "me, a certified {n}, trying to cook",
    "what a {n} I am, I replied to the wrong group chat", "{n} behaviour from me today tbh",
    "call me a {n} but I still think the first movie was better",
    "proud {n} here, ask me anything", "just an old {n} who loves trains",
    "I'm the biggest {n} in this house and my cat knows it", "never change, says the {n} in the mirror",
    "my own {n} self deleted the file", "classic me, being a {n} at 2am",
]
EN_RECLAIMED = [
    "as a fat girl I love this dress on me", "us queers gotta stick together", "fat and fabulous, thanks",
    "proud dyke, happy pride everyone", "nerds unite, we're building a robot", "autistic and proud of it",
    "we weirdos found each other", "bald gang checking in", "short kings, this one's for us",
    "crip joy is real, great day at the beach", "queer and here, see you at the march", "old lady club meets on Tuesday",
]
ZH_SELF_NOUN = ["废物", "笨蛋", "傻子", "菜鸡", "咸鱼", "冤种", "憨憨", "社恐", "猪脑子", "学渣", "路痴", "废柴", "二货",
                "小丑"]
ZH_SELF_FRAMES = [
    "我真是个{n}，钥匙又锁屋里了", "本{n}今天又迟到了", "作为一个{n}，我表示看不懂", "{n}本人报到",
    "又是当{n}的一天", "我这个{n}居然把作业忘家里了", "哈哈哈我就是个{n}", "{n}如我，又把咖啡洒了",
    "承认吧，我就是那个{n}", "好吧我是{n}，我认了", "{n}的快乐你不懂",
]
ZH_RECLAIMED = ["胖子也有春天，今天穿了新裙子", "我们这些矮个子买衣服太难了", "社恐人狂喜", "打工人打工魂",
                "秃头程序员又来了", "我们学渣也有梦想", "大冤种就是我本人", "单身狗过节快乐"]


def _pick(rng: random.Random, combos, n: int) -> list:
    combos = list(combos)
    rng.shuffle(combos)
    return combos[:n]


def composed_examples(split: str, rng: random.Random, per_category: int = 160) -> list[Row]:
    """(text, labels, lang, case) rows; ``split`` "train" or "dev" (disjoint part halves)."""
    h = lambda items: _half(items, split)  # noqa: E731
    n = per_category if split == "train" else max(20, per_category // 4)
    rows: list[Row] = []
    seen: set[str] = set()

    def add(texts, lang, case, labels):
        for text in texts:
            text = text.replace(". .", ".").replace(" .", ".").strip()
            if text not in seen:
                seen.add(text)
                rows.append((text, labels, lang, case))

    # Implicit threats: knowledge, warnings, consequences, proximity.
    en_threat = [f"{a} {k}{t}" for a, k, t in itertools.product(h(EN_KNOWN_HEAD), h(EN_KNOWN), h(EN_KNOWN_TAIL))]
    en_threat += [f"{c} {w}" for c, w in itertools.product(h(EN_CAREFUL), h(EN_WHEN))]
    en_threat += [c.format(x=x) for c, x in itertools.product(h(EN_CONSEQUENCE), h(EN_CONSEQUENCE_X))]
    en_threat += [f"{p}{t}" for p, t in itertools.product(h(EN_NEAR), h(EN_NEAR_TAIL))]
    add(_pick(rng, en_threat, n), "en", "en_threat_implicit", THREAT)
    zh_threat = [f"{a}{k}{t}" for a, k, t in itertools.product(h(ZH_KNOWN_HEAD), h(ZH_KNOWN), h(ZH_KNOWN_TAIL))]
    zh_threat += [f"{w}{c}" for c, w in itertools.product(h(ZH_CAREFUL), h(ZH_WHEN))]
    zh_threat += [c.format(x=x) for c, x in itertools.product(h(ZH_CONSEQUENCE), h(ZH_CONSEQUENCE_X))]
    zh_threat += [f"{p}{t}" for p, t in itertools.product(h(ZH_NEAR), h(ZH_NEAR_TAIL))]
    add(_pick(rng, zh_threat, n), "zh", "zh_threat_implicit", THREAT)

    # Doxxing: publishing, or having found, someone's private details.
    en_dox = [f"{v} {w} {x}{p}{t}" for v, w, x, p, t in
              itertools.product(h(EN_DOX_VERB), h(EN_DOX_WHOSE), h(EN_DOX_WHAT), h(EN_DOX_WHERE), h(EN_DOX_TAIL))]
    en_dox += [f"{f} {w} {x}{t}" for f, w, x, t in
               itertools.product(h(EN_DOX_FOUND), h(EN_DOX_WHOSE), h(EN_DOX_WHAT), h(EN_DOX_TAIL))]
    add(_pick(rng, en_dox, n), "en", "en_doxxing", THREAT)
    zh_dox = [f"{a}{w}的{x}{v}{t}" for a, w, x, v, t in
              itertools.product(h(ZH_DOX_HEAD), h(ZH_DOX_WHOSE), h(ZH_DOX_WHAT), h(ZH_DOX_VERB), h(ZH_DOX_TAIL))]
    zh_dox += [f"{w}的{x}{d}{t}" for w, x, d, t in
               itertools.product(h(ZH_DOX_WHOSE), h(ZH_DOX_WHAT), h(ZH_DOX_DONE), h(ZH_DOX_TAIL))]
    add(_pick(rng, zh_dox, n), "zh", "zh_doxxing", THREAT)

    # Swearing aimed at no one.
    en_swear = [f.format(s=s, x=x) for f, s, x in
                itertools.product(h(EN_SWEAR_FRAMES), h(EN_SWEAR), h(EN_SWEAR_SITUATION))]
    add(_pick(rng, en_swear, n), "en", "en_profanity_nonhateful", PROFANITY)
    zh_swear = [f.format(s=s, x=x) for f, s, x in
                itertools.product(h(ZH_SWEAR_FRAMES), h(ZH_SWEAR), h(ZH_SWEAR_SITUATION))]
    add(_pick(rng, zh_swear, n), "zh", "zh_profanity_nonhateful", PROFANITY)

    # Self-deprecation and in-group reclaimed words.
    en_self = [f.format(n=w) for f, w in itertools.product(h(EN_SELF_FRAMES), h(EN_SELF_NOUN))] + h(EN_RECLAIMED)
    add(_pick(rng, en_self, n // 2), "en", "en_reclaimed", SELF_TALK)
    zh_self = [f.format(n=w) for f, w in itertools.product(h(ZH_SELF_FRAMES), h(ZH_SELF_NOUN))] + h(ZH_RECLAIMED)
    add(_pick(rng, zh_self, n // 2), "zh", "zh_reclaimed", SELF_TALK)
    rng.shuffle(rows)
    return rows


if __name__ == "__main__":
    from collections import Counter

    for split in ("train", "dev"):
        got = composed_examples(split, random.Random(0))
        print(f"== {split}: {len(got)} rows", dict(Counter(c for *_, c in got)))
        for row in got[:12]:
            print("  ", row[3], row[0])
