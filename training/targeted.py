"""Targeted training templates for what the public corpora lack (Kindshield 2.0).

Abuse the Chinese and English sets barely cover (threats without a violent word,
doxxing, self-harm incitement, appearance shaming, put-downs without swear words,
pile-on calls) and hard negatives (one-word replies and forum memes, other
languages, praise and hyperbole idioms, counter-speech, quotes, negation).

Every list of *cores* is split into two disjoint halves with ``_half`` so that the
"train" and "dev" splits never share a sentence; frames (prefixes/suffixes) are
shared. The wording is our own and must stay separate from the functional
**test** suite (tests use different frames and fillers). Keep this a minority of
the training mix: ``targeted_examples("train", ...)`` returns ~2-3k rows.
"""
from __future__ import annotations

import random

from training.augment import _half

Row = tuple[str, dict[str, int], str, str]

NONE = dict(toxic=0, insult=0, threat=0, identity_attack=0, obscene=0, targeted_person=0)

# --------------------------------------------------------------------- abuse
EN_THREAT_IMPLICIT = [
    "I know where you live",
    "I know where you work, see you Monday",
    "nice house on Elm Street, would be a shame if something happened to it",
    "I've seen your car parked outside your place",
    "watch your back when you walk home tonight",
    "I'll be waiting outside your school tomorrow",
    "you won't see me coming",
    "enjoy your last weekend",
    "keep talking and see what happens to your family",
    "I know what time you leave the gym",
    "your kids walk home alone, right?",
    "sleep with one eye open",
    "I'm coming for you, count on it",
    "see you soon, I already have your address",
    "you'd better not go out alone anymore",
    "found your parents' house, say hi to your mom for me",
    "I followed you on your way to work today",
    "one day you'll open your front door and I'll be standing there",
    "better lock your doors tonight",
    "you have no idea what I'm capable of",
    "I'll make sure you regret this for the rest of your life",
    "I'm parked across the street from your building right now",
    "tell your sister I said hi, I know which school she goes to",
    "remember this next time you're walking to your car alone",
    "we'll meet in person soon and then we'll see how brave you are",
    "I know your shift ends at 6, I'll be around",
    "I have your address now. think about that",
    "people who talk like you tend to have accidents",
    "we're watching you, every single day",
    "count your days",
    "your family won't always be home to protect you",
    "think about your kids before you post again",
    "I'm closer than you think",
    "it'd be a pity if your boss saw these photos",
    "you should be careful on the stairs at your office",
    "I drove past your house twice today",
    "next time we meet there won't be anyone around to help you",
    "I've got friends in your town who'd love to pay you a visit",
    "nobody would even notice if you just disappeared one day",
    "I wonder how safe your dog is in that backyard",
    "we'll settle this face to face, I know the bar you go to",
    "your little sister looks lonely at the bus stop",
    "I'd be very careful opening packages from now on",
    "don't be surprised when someone knocks on your door at 3am",
    "I know your mom's car. silver, right?",
    "you're going to find out what happens to people who cross me",
]
ZH_THREAT_IMPLICIT = [
    "我知道你住哪",
    "你公司在哪我都查到了，等着",
    "你每天几点下班我都清楚",
    "走夜路小心点",
    "出门记得看看身后",
    "你家楼下那辆白车是你的吧",
    "下周一公司门口见",
    "你孩子在哪个学校上学我知道",
    "给我等着，有你好看的",
    "别让我在线下碰到你",
    "你最好这几天别出门",
    "我已经在你小区门口了",
    "你爸妈住哪我也知道",
    "看你还能嚣张几天",
    "晚上睡觉记得锁好门",
    "你会后悔的，我保证",
    "我们线下见，地址我有",
    "你每天坐几路公交我都知道",
    "出了事别怪我没提醒你",
    "好好享受你最后这几天吧",
    "有种你这周别出门",
    "你等着，我记住你了",
    "我会让你付出代价的",
    "你下班那条路挺黑的吧",
    "你健身房几点关门我都知道，回头见",
    "咱们走着瞧，你跑不掉的",
    "你家门牌号我记下了",
    "小心你家那条狗",
    "总有一天你会落在我手里",
    "我认识你们学校的人，你等着吧",
    "过几天去你单位找你聊聊",
    "你女儿长得挺可爱的，天天几点放学啊",
    "我已经找人盯着你了",
    "别以为躲在网上我就找不到你",
    "下次见面可没人护着你了",
    "你的照片我存好了，等着全网看吧",
    "出门多留个心眼，不是每次都这么走运",
    "你爸妈的电话我也有，要不要我打过去聊聊",
]
EN_DOXXING = [
    "I'm posting your home address tonight",
    "found your phone number, everyone's getting it",
    "here's her address, you all know what to do",
    "your real name is going up on the server in an hour",
    "I know which school you go to and I'm telling everyone",
    "dropping his ID and address in the group chat",
    "anyone want this guy's number? DM me",
    "I'm going to leak your workplace so everyone can call your boss",
    "we found your IG and your mom's Facebook",
    "give me ten minutes and I'll have your address",
    "your license plate is already posted",
    "posting your school and class schedule for everyone",
    "she lives at 24 Maple Road, go say hi",
    "here's his phone number, spam him",
    "I'll dox you and your whole family",
    "pulling your IP and home address, hold on",
    "your employer's email is about to hear from all of us",
    "everyone, this is her dorm building and room number",
    "I have a photo of your ID and it's going public",
    "screenshots of your driver's license going up tonight",
    "your home address is now pinned in the discord",
    "traced your account to your real name, posting it",
    "I know your parents' names and their shop, thread incoming",
    "here is his full name, city and the gym he goes to",
    "leaking your number in every group I'm in",
    "your address and a picture of your house, enjoy",
]
ZH_DOXXING = [
    "人肉他，把他家地址挂出来",
    "已经人肉到你了，身份证号要不要发出来",
    "你的手机号我发群里了",
    "把她学校和班级挂出来",
    "这是他家住址，大家懂的",
    "开盒了，本名学校电话全在这",
    "我已经把你开盒了",
    "你单位电话我发网上了",
    "兄弟们，这人的微信和手机号在这",
    "等着被人肉吧",
    "她的身份证照片我有，马上发",
    "把你家地址贴到超话去",
    "把他工作单位扒出来，打电话给他领导",
    "他住幸福小区3栋，大家去堵他",
    "这是她的真名和宿舍号",
    "你爸妈的电话我都扒到了",
    "他的车牌号已经挂出来了",
    "你的住址我都查到了，要不要公开",
    "给你开个盒看看",
    "户籍信息都扒出来了，等着",
    "我把你照片和学校发到表白墙了",
    "你的小号大号都被扒了，下一步就是家庭住址",
    "扒出来了，他是理工大学的，电话是这个",
    "谁要这个人的手机号，私我",
    "她男朋友的信息也扒到了，一起挂",
    "把他的身份证号发出来让大家看看",
]
EN_SELF_HARM = [
    "kys",
    "k y s",
    "k.y.s",
    "go kill yourself",
    "unalive yourself",
    "do everyone a favour and disappear forever",
    "just end it already",
    "the world would be better without you, act on it",
    "why are you still alive",
    "please go jump off a bridge",
    "have you considered not existing",
    "kindly remove yourself from the planet",
    "with all due respect, please kys",
    "rope is cheap, just saying",
    "do us all a favor and unalive",
    "go drink bleach",
    "log off permanently, and I don't mean the app",
    "you should just stop breathing",
    "respectfully, go kill yourself",
    "literally kys",
    "maybe it's time you ended it all",
    "I hope you kill yourself tonight",
    "just kys already",
    "nobody would stop you if you jumped",
    "go unalive, nobody cares",
    "seriously k y s",
]
ZH_SELF_HARM = [
    "你怎么还不去死",
    "建议你原地去世",
    "赶紧去死吧",
    "你还是去死吧",
    "活着干嘛，赶紧跳楼",
    "建议你重开吧",
    "麻烦你去世一下",
    "求求你消失吧，永远别回来",
    "你这种人早点死了算了",
    "有这时间不如去自杀",
    "去天台吹吹风吧，别下来了",
    "买根绳子吧你",
    "你可以去死了",
    "拜托你去死好吗",
    "劝你早点投胎",
    "你怎么还活着",
    "不如一头撞死",
    "自我了断吧",
    "你去死一死好不好",
    "你还不自杀等什么",
    "礼貌建议你原地爆炸",
    "早死早超生吧你",
    "活着浪费资源，不如去死",
    "跳下去吧，没人会拦你",
    "你要是有点自知之明就自己了断",
    "真心建议你别活了",
]
EN_APPEARANCE = [
    "you look like a thumb",
    "ugly ass",
    "your face could scare a ghost",
    "did you get hit with the ugly stick",
    "those teeth could open a can",
    "you look like a melted candle",
    "imagine being that ugly and posting selfies",
    "the filter isn't hiding anything",
    "you look like a potato with hair",
    "put a bag over your head",
    "no wonder you're single with that face",
    "your forehead has its own zip code",
    "you look like you smell",
    "your nose enters the room before you do",
    "you're built like a fridge",
    "please stop posting your face",
    "you've got a face for radio",
    "eww what happened to your skin",
    "bro looks like a before photo",
    "who let you out looking like that",
    "you look 50 and you're 20",
    "face like a slapped fish",
    "that hairline is running away from you",
    "how are you this ugly in 4k",
    "your face is why mirrors crack",
    "you look like a thumb with a wig on",
]
ZH_APPEARANCE = [
    "长得像人真难为你了",
    "你这长相出门不怕吓到人吗",
    "丑成这样还好意思发自拍",
    "这张脸建议回炉重造",
    "长得跟猪一样",
    "滤镜都救不了你",
    "你这身材像个水桶",
    "这脸盘子能摊煎饼了",
    "丑得我隔着屏幕都想吐",
    "颜值低就别露脸了",
    "长这样也敢开直播",
    "牙齿都能开瓶盖了",
    "矮成这样就别出门了",
    "这么胖还穿短裙，辣眼睛",
    "长得歪瓜裂枣的",
    "这长相是被门夹过吧",
    "你照过镜子吗",
    "一脸衰样",
    "长得像个土豆",
    "这脸是车祸现场吧",
    "你这发际线都退到后脑勺了",
    "这皮肤跟月球表面一样",
    "肥成猪了还秀身材",
    "这长相也就你妈不嫌弃",
    "别开美颜了，原相机吓死人",
    "长得这么寒碜还当网红",
]
EN_PUTDOWN = [
    "you are worthless",
    "you're a waste of air",
    "you're a waste of oxygen",
    "nobody would miss you",
    "you'll never amount to anything",
    "your parents must be so disappointed in you",
    "you contribute nothing to this world",
    "no one has ever liked you",
    "you are a failure and always will be",
    "you're a burden on everyone around you",
    "you're completely useless",
    "no one asked and no one cares about you",
    "you're a nobody",
    "your opinion is as worthless as you are",
    "you're pathetic",
    "what a sad little life you have",
    "you're not even worth insulting",
    "you bring nothing but shame to your family",
    "even your friends laugh at you behind your back",
    "you're a joke",
    "people like you shouldn't be allowed to speak",
    "you were a mistake",
    "you're a waste of space",
    "you have the brain of a goldfish",
    "everything you make is embarrassing, just like you",
    "you're the most useless person I've ever met",
]
ZH_PUTDOWN = [
    "你就是个废物",
    "活着浪费空气",
    "你这种人不配活着",
    "你算什么东西",
    "你什么都不是",
    "你爸妈生你真是亏了",
    "一事无成说的就是你",
    "你活着就是拖累别人",
    "没人会想念你的",
    "你存在的意义是什么",
    "就你也配说话",
    "你这辈子也就这样了",
    "你连给他提鞋都不配",
    "真是个没用的东西",
    "你的脑子是摆设吧",
    "你简直一无是处",
    "谁会在乎你的想法",
    "丢人现眼的东西",
    "你就是个笑话",
    "白活这么大岁数",
    "你这种人就是社会的负担",
    "你也配",
    "浪费粮食说的就是你",
    "你除了吃还会干什么",
    "你这种人活着有什么用",
    "跟你说话都拉低我的智商",
]
EN_PILE_ON = [
    "everyone go to her page and tell her what you think",
    "let's all report his account until it's gone",
    "flood her replies",
    "you know what to do, her @ is in the bio",
    "spam his DMs until he deletes",
    "everyone comment on her latest post",
    "mass report this account",
    "let's make her regret posting this",
    "tag everyone, let's get him cancelled",
    "raid his stream tonight",
    "go leave one-star reviews on her shop",
    "share this everywhere so she can't hide",
    "don't let her sleep tonight, keep the messages coming",
    "let's get his boss to fire him, flood the company page",
    "go tell him what we think in the comments",
    "drop by her livestream and make some noise",
    "brigade this thread",
    "her chat is open, go wild",
    "make this go viral so he gets what he deserves",
    "everyone DM her at once",
    "let's dig up everything on him",
    "pile on, he deserves it",
    "all of you, go to his channel and dislike everything",
    "quote tweet her until she locks her account",
    "send him your worst, he's online right now",
    "go find her other accounts and hit those too",
]
ZH_PILE_ON = [
    "大家去他微博下面骂",
    "冲了她",
    "兄弟们冲他评论区",
    "姐妹们去她超话下面说说",
    "挂出来了，大家都去骂",
    "一起举报他的号",
    "去她直播间刷屏",
    "把他骂到删号",
    "评论区集合，冲他",
    "都去他B站动态下面留言",
    "不骂到她道歉不算完",
    "全网抵制这个人",
    "兄弟们把他私信挤爆",
    "大家去他店里刷差评",
    "@所有人 去她抖音下面",
    "转发让更多人看到这个人的嘴脸，冲",
    "这个人主页在这，自己看着办",
    "去他视频下面刷一排滚",
    "组团去她小红书骂她",
    "集合了，给她来一波",
    "都去举报她，封了为止",
    "把他公司电话打爆",
    "一人一句，骂到他退网",
    "冲烂他的评论区",
    "她现在在线，大家快去",
    "他的小号也找到了，一起冲",
]

# ------------------------------------------------------------ hard negatives
EN_ONE_WORD = [
    "lol", "same", "this", "+1", "ok", "true", "lmao", "facts", "fr", "real",
    "mood", "nice", "thanks", "ty", "agreed", "yep", "exactly", "bump", "first",
    "saved", "wow", "cute", "congrats", "gg", "omg", "haha", "following", "W",
    "based", "big mood", "bookmarked", "noted", "fair", "valid", "respect", "👍",
]
ZH_ONE_WORD = [
    "哈哈哈", "666", "yyds", "绝绝子", "蹲", "前排", "打卡", "确实", "笑死", "绷不住了",
    "好家伙", "awsl", "破防了", "典", "啊对对对", "收藏了", "已三连", "泪目", "爷青回",
    "有一说一", "离谱", "插眼", "马住", "来了来了", "沙发", "顶", "赞", "学到了",
    "妙啊", "真实", "好耶", "催更", "下次一定", "针不戳", "哈哈哈哈哈哈", "前排围观",
]
OTHER_LANG = [
    "je t'aime", "merci beaucoup, à demain", "quelle belle journée", "bon appétit à tous",
    "ich liebe dich", "vielen Dank für das Video", "das ist wirklich schön", "bis morgen, schlaf gut",
    "te quiero mucho", "gracias por compartir", "qué bonito día hace hoy", "feliz cumpleaños, amiga",
    "ありがとう、また明日", "おはようございます", "この曲大好きです", "お疲れさまでした",
    "사랑해요", "감사합니다", "오늘도 화이팅", "생일 축하해요",
    "спасибо большое", "с днём рождения", "какая красивая песня", "доброе утро, друзья",
    "شكرا جزيلا", "صباح الخير", "أحبك يا أمي", "مبروك على النجاح",
    "grazie mille", "obrigado pela ajuda", "tebrikler, harika olmuş", "dank je wel",
]
# (text, obscene): vulgar-ish praise is still not toxic.
EN_PRAISE = [
    ("you killed it", 0), ("this slaps", 0), ("she murdered that performance", 0), ("I'm dead 😂", 0),
    ("sick trick bro", 0), ("you absolutely destroyed that set", 0), ("that beat goes hard", 0),
    ("this song is a banger", 0), ("he's a beast on the court", 0), ("you nailed it", 0),
    ("crushed it", 0), ("that joke killed me", 0), ("you're a monster at this game", 0),
    ("this goes crazy", 0), ("the bass on this is violent", 0), ("she ate and left no crumbs", 0),
    ("I would die for this cat", 0), ("this is criminally underrated", 0), ("that drop is filthy", 0),
    ("you slayed", 0), ("that speedrun was brutal, insane skill", 0), ("this shot is deadly", 0),
    ("holy shit this is good", 1), ("this is fucking amazing", 1), ("damn girl you ate", 1),
    ("that was badass", 1),
]
ZH_PRAISE = [
    ("太强了杀疯了", 0), ("笑死我了", 0), ("绝了", 0), ("牛逼", 1), ("这波操作秀死我了", 0),
    ("帅炸了", 0), ("美哭了", 0), ("杀疯了杀疯了", 0), ("笑不活了", 0), ("这也太顶了", 0),
    ("这首歌太炸了", 0), ("演技炸裂", 0), ("狠狠爱住了", 0), ("直接封神", 0), ("馋死我了", 0),
    ("好听到爆", 0), ("燃爆了", 0), ("强到离谱", 0), ("一个人打爆全场", 0), ("吊打全场", 0),
    ("牛逼plus", 1), ("卧槽太牛了", 1), ("真他妈好看", 1), ("牛批", 1), ("可爱死了", 0),
    ("这操作太凶了", 0),
]
EN_NEG_FILLERS = [
    "stupid", "worthless", "ugly", "useless", "a failure", "a waste of space", "a burden",
    "annoying", "dumb", "a loser", "pathetic", "boring", "too old for this", "fat",
    "a nobody", "weird", "a joke", "hopeless", "a bad friend", "unlovable", "slow", "a disappointment",
    "not good enough", "hard to like",
]
ZH_NEG_FILLERS = [
    "笨", "丑", "胖", "蠢", "没用", "差劲", "无聊", "烦人", "失败", "多余", "矮", "傻",
    "讨厌", "难看", "土", "懒", "幼稚", "可笑", "碍事", "讨人嫌", "啰嗦", "普通", "老", "木讷",
]
ZH_NEG_NOUNS = [
    "废物", "丑八怪", "垃圾", "蠢货", "废柴", "窝囊废", "饭桶", "傻子", "败类", "累赘",
    "笨蛋", "白痴", "土包子", "死胖子", "怪物", "失败者",
]
EN_NEG_NOUNS = [
    "worthless", "ugly", "a waste of air", "a loser", "an idiot", "a failure", "fat", "a freak",
    "useless", "a nobody", "pathetic", "a burden", "dumb", "a clown", "a creep", "a waste of oxygen",
]

# Put-downs dressed as negation or politeness: the words of a negation, the
# meaning of an insult. Paired with the negation hard negatives below so the
# model reads the construction, not the word 不 / "not".
EN_NEGATED_PUTDOWN_FRAMES = [
    "not gonna lie, you're {x}", "I'm not saying you're {x}, but everyone else is thinking it",
    "no offense but you are {x}",
    "it's not that you're unlucky, you're just {x}",
]
ZH_NEGATED_PUTDOWN_FRAMES = [
    "你真不是一般的{x}", "不是我说你，你真的很{x}", "说实话不是针对你，你就是{x}",
    "没见过这么{x}的人", "你不{x}谁{x}",
]
ZH_NEGATED_PUTDOWN_NOUN_FRAMES = ["你不是{n}是什么", "除了{n}你还能是什么", "别装了，你就是个{n}"]

# --------------------------------------------------------------- frames
EN_ABUSE_FRAMES = ["{c}", "@USER {c}", "{c}. just saying", "{c} 🙂", "lol {c}", "{c}!!"]
ZH_ABUSE_FRAMES = ["{c}", "{c}！", "楼主{c}", "@某某 {c}", "呵呵，{c}", "{c}[微笑]"]
EN_COUNTER_FRAMES = [
    'Telling someone "{c}" is not ok',
    'Saying "{c}" to a stranger crosses a line',
    'Please stop commenting "{c}" on people\'s posts',
    'If you see "{c}" in someone\'s replies, report it',
    'Comments like "{c}" hurt real people',
    'Whoever keeps writing "{c}" under her posts needs to log off',
    'Mods, there are replies saying "{c}" here, please remove them',
    'We don\'t do "{c}" in this community. Be kind or be banned.',
    'Imagine typing "{c}" to a teenager and thinking you\'re the good guy',
]
EN_QUOTE_FRAMES = [
    'Someone DMed me "{c}" and I reported them',
    'My kid got a message saying "{c}" so I called the school',
    'He wrote "{c}" under my video. Blocked.',
    'Reported a comment that said "{c}"',
    'Got "{c}" in my inbox today, screenshotted it for the mods',
]
ZH_COUNTER_FRAMES = [
    "对别人说“{c}”是不对的",
    "在网上发“{c}”这种话太过分了",
    "看到“{c}”这种评论请直接举报",
    "不要对任何人说“{c}”",
    "“{c}”这种话会真的伤到人",
    "那些留言“{c}”的人，请你善良一点",
    "对于“{c}”这类言论，平台应该严肃处理",
    "我不认同有人说“{c}”，每个人都值得被尊重",
    "说“{c}”的人已经被封号了，大快人心",
    "请大家不要跟风说“{c}”，理性讨论",
    "如果你也收到过“{c}”这样的私信，记得保留证据",
]
ZH_QUOTE_FRAMES = [
    "有人私信我“{c}”，我已经报警了",
    "他在我视频下面留言“{c}”，已拉黑",
    "截图里那句“{c}”我已经举报了",
    "我朋友收到一条“{c}”，吓得不敢出门",
    "评论区有人说“{c}”，管理员快处理一下",
]


# Friendly plans and meetings: the same words as implicit threats ("see you Monday",
# "I know where ...", "I'll be waiting"), without the menace. Without them the
# model learned "see you tomorrow!" as a threat.
EN_FRIENDLY_MEETING = [
    "see you tomorrow", "see you at the meetup tomorrow", "can't wait to see you next week",
    "great meeting you, see you soon", "I'll be there at 6, see you", "see you Monday at the office",
    "I know where the cafe is, see you at 5", "I'll pick you up after work", "I'm outside your building, come down when ready",
    "I know where you're staying, I'll bring the cake over", "see you at practice", "I'll wait for you at the station",
    "looking forward to seeing you at the wedding", "we know where the party is, see you there",
    "see you in class tomorrow", "I'll swing by your place later with the charger",
    "let's meet at the usual spot after school", "see you at lunch", "I'll be waiting at the gate, no rush",
    "I found out where the new office is, see you there Monday", "see you on the weekend",
    "text me when you get home safe", "see you at the game tonight", "I'll come find you after the show",
]
ZH_FRIENDLY_MEETING = [
    "明天见", "下班见，老地方", "周末一起吃饭，老地方见", "我到楼下了，你慢慢来", "我知道那家店在哪，五点见",
    "下周见，路上注意安全", "我在车站等你", "放学后在门口等你", "我去你家楼下接你", "到家了跟我说一声",
    "明天公司见", "晚上见，记得带伞", "我知道你住哪个小区了，周末给你送蛋糕", "待会儿食堂见",
    "演唱会见！", "我在门口等你，不着急", "周一办公室见", "婚礼上见啦", "训练场见", "看完电影我去找你",
    "我把地址发你了，明天见", "我们知道聚会在哪，到时候见", "路上小心，到了给我打电话", "下课后图书馆见",
]


def targeted_examples(split: str, rng: random.Random) -> list[Row]:
    """(text, labels, lang, case) rows; ``split`` is "train" or "dev" (disjoint cores)."""
    rows: list[Row] = []
    seen: set[str] = set()

    def add(text, lang, case, **labels):
        if text not in seen:
            seen.add(text)
            rows.append((text, labels, lang, case))

    base = dict(toxic=1, targeted_person=1)
    abuse = [
        ("threat_implicit", EN_THREAT_IMPLICIT, ZH_THREAT_IMPLICIT,
         dict(base, threat=1, identity_attack=0, obscene=0)),
        ("doxxing", EN_DOXXING, ZH_DOXXING, dict(base, threat=1, identity_attack=0, obscene=0)),
        ("self_harm_incitement", EN_SELF_HARM, ZH_SELF_HARM, dict(base, threat=1, identity_attack=0, obscene=0)),
        ("appearance_shaming", EN_APPEARANCE, ZH_APPEARANCE, dict(base, insult=1, threat=0, identity_attack=0)),
        ("putdown", EN_PUTDOWN, ZH_PUTDOWN, dict(base, insult=1, identity_attack=0, obscene=0)),
        ("pile_on", EN_PILE_ON, ZH_PILE_ON, dict(base, identity_attack=0, obscene=0)),
    ]
    quoted = {"en": [], "zh": []}
    for name, en, zh, labels in abuse:
        for lang, cores, frames in (("en", en, EN_ABUSE_FRAMES), ("zh", zh, ZH_ABUSE_FRAMES)):
            for c in _half(cores, split):
                quoted[lang].append(c)
                for f in frames:
                    add(f.format(c=c).replace("?.", "?"), lang, f"{lang}_{name}", **labels)

    # Counter-speech and quotes built from the same half's abuse cores (contrast pairs).
    quiet = dict(toxic=0, insult=0, threat=0, targeted_person=0)
    for lang, cf, qf in (("en", EN_COUNTER_FRAMES, EN_QUOTE_FRAMES), ("zh", ZH_COUNTER_FRAMES, ZH_QUOTE_FRAMES)):
        for c in quoted[lang]:
            add(rng.choice(cf).format(c=c), lang, f"{lang}_counter_speech", **quiet)
            add(rng.choice(qf).format(c=c), lang, f"{lang}_quote", **quiet)
    for w in _half(EN_NEG_NOUNS, split):
        add(f"Calling someone {w} is not ok", "en", "en_counter_speech", **quiet)
        add(f"Nobody deserves to be called {w} online", "en", "en_counter_speech", **quiet)
        add(f"Stop telling her she's {w}. She isn't, and it's bullying", "en", "en_counter_speech", **quiet)
    for w in _half(ZH_NEG_NOUNS, split):
        add(f"他骂人“{w}”是不对的", "zh", "zh_counter_speech", **quiet)
        add(f"别再骂别人{w}了，这是网暴", "zh", "zh_counter_speech", **quiet)
        add(f"骂别人{w}的人，自己才最该反省", "zh", "zh_counter_speech", **quiet)
        add(f"网暴可耻，她不是什么{w}", "zh", "zh_counter_speech", **quiet)
        add(f"你不是{w}，别把那些人的话放在心上", "zh", "zh_negation", **quiet)
        add(f"没有人是{w}，请停止人身攻击", "zh", "zh_counter_speech", **quiet)
        for f in ZH_NEGATED_PUTDOWN_NOUN_FRAMES:
            add(f.format(n=w), "zh", "zh_putdown", **dict(base, insult=1, identity_attack=0, obscene=0))

    # Friendly meetings (contrast with implicit threats).
    for lang, cores, frames in (("en", EN_FRIENDLY_MEETING, ["{c}", "{c}!", "{c} 🙂", "@USER {c}", "ok {c}"]),
                                ("zh", ZH_FRIENDLY_MEETING, ["{c}", "{c}！", "{c}~", "@某某 {c}", "好的，{c}"])):
        for c in _half(cores, split):
            for f in frames:
                add(f.format(c=c), lang, f"{lang}_friendly_meeting", **NONE)

    # Negation.
    for x in _half(EN_NEG_FILLERS, split):
        for f in ["You are not {x} at all", "Don't let anyone tell you you're {x}",
                  "Nobody here thinks you're {x}", "You're not {x}, you just had a rough day",
                  "I never said you were {x}, I said the plan was risky",
                  "stop calling yourself {x}, you're doing great", "who told you that you're {x}? they're wrong"]:
            add(f.format(x=x), "en", "en_negation", **quiet)
        for f in EN_NEGATED_PUTDOWN_FRAMES:
            add(f.format(x=x), "en", "en_putdown", **dict(base, insult=1, identity_attack=0, obscene=0))
    for x in _half(ZH_NEG_FILLERS, split):
        for f in ["你一点都不{x}", "谁说你{x}了，别听他们的", "你才不{x}呢",
                  "我从来没觉得你{x}", "你不{x}，只是还没找到方法",
                  "哪里{x}了？明明挺好的", "别再说自己{x}了，你很棒", "他说你{x}，我完全不同意",
                  "没有人觉得你{x}，放心吧", "怎么会{x}呢，我很喜欢", "并不{x}，反而很有特点"]:
            add(f.format(x=x), "zh", "zh_negation", **quiet)
        for f in ZH_NEGATED_PUTDOWN_FRAMES:
            add(f.format(x=x), "zh", "zh_putdown", **dict(base, insult=1, identity_attack=0, obscene=0))

    # One-word replies and forum memes.
    for w in _half(EN_ONE_WORD, split):
        for f in ["{c}", "{c}!", "{c} 😂", "@USER {c}", "{u}", "{c} {c}"]:
            add(f.format(c=w, u=w.upper()), "en", "en_one_word", **NONE)
    for w in _half(ZH_ONE_WORD, split):
        for f in ["{c}", "{c}！", "{c}{c}", "{c}[doge]", "回复@某某：{c}", "{c}hhh"]:
            add(f.format(c=w), "zh", "zh_one_word", **NONE)

    # Other languages (benign); "en" stands for every non-Chinese script here.
    for s in _half(OTHER_LANG, split):
        for f in ["{c}", "{c} 😊", "@USER {c}", "{c}!", "{c} ❤️"]:
            add(f.format(c=s), "en", "other_lang", **NONE)

    # Praise and hyperbole idioms that use violent or vulgar words.
    for lang, items, frames in (
        ("en", EN_PRAISE, ["{c}", "@USER {c}", "{c} 🔥", "omg {c}", "{c}!!", "ngl {c}"]),
        ("zh", ZH_PRAISE, ["{c}", "{c}！", "{c}！！！", "啊啊啊{c}", "{c}[赞]", "up主{c}"]),
    ):
        for c, obscene in _half(items, split):
            for f in frames:
                add(f.format(c=c), lang, f"{lang}_praise_idiom", **dict(NONE, obscene=obscene))

    rng.shuffle(rows)
    return rows


if __name__ == "__main__":
    from collections import Counter

    for split in ("train", "dev"):
        got = targeted_examples(split, random.Random(0))
        counts = Counter(case for _, _, _, case in got)
        print(f"== {split}: {len(got)} rows")
        for case, n in sorted(counts.items()):
            print(f"  {case:28s} {n}")
