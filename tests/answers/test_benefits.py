"""Benefits that are not training subsidies, recognised by name or by an unknown qualifier."""

import pytest

from bot.answers.benefits import other_benefit, unnamed_benefit
from bot.answers.topics import get_topics


@pytest.mark.parametrize(
    ("text", "benefit"),
    [("深圳大专生入户补贴多少钱", "大专生入户补贴"), ("2024年深圳发放独生子女补贴几号", "独生子女补贴"),
     ("租房补贴怎么申请", "租房补贴")],
)  # fmt: skip
def test_a_qualifier_the_documents_never_use_makes_another_benefit(retriever, text, benefit):
    assert unnamed_benefit(text, get_topics(), retriever) == benefit
    decision = other_benefit(text, get_topics(), retriever)
    assert decision.kind == "neighbour" and decision.replies[0].params == {"benefit": benefit}
    assert not decision.citations


@pytest.mark.parametrize(
    "text",
    ["叉车证补贴多少", "健康管理师补贴", "消防设施操作员能领几次补贴啊", "保育员证考过了有补贴吗", "农村技能培训有多少补贴", "新型学徒制补贴",
     "无人机驾驶员补贴", "电商直播培训补贴", "阳江无人机CAAC补助", "培训学校说免费培训还发补贴，是真的吗",
     "培训机构说报班考证能全额补贴，靠谱吗", "考了证书能申请补贴吗，另外补贴多少钱",
     "企业培训中心能申请成为公共实训基地吗，听说补贴能上浮"],
)  # fmt: skip
def test_training_subsidies_and_unnamed_occupations_are_not_other_benefits(retriever, text):
    """Nor is a qualifier jieba's HMM glued together for want of a dictionary word (CAAC, 还发), a
    function word (另外, besides), how much of the cost is paid (全额) or hearsay (听说): none names what a
    subsidy is for."""
    assert other_benefit(text, get_topics(), retriever) is None


def test_the_word_next_to_the_subsidy_names_it(retriever):
    """In 国企证书补贴 the benefit is the 证书's, a word of the documents: 国企 says who asks. In 二级保安员补贴
    it is the 保安员's, and 二级 is their level."""
    for text in ("吕梁市国企证书补贴标准", "宁德二级保安员补贴政策详解与申领指南"):
        assert unnamed_benefit(text, get_topics(), retriever) is None, text
        assert other_benefit(text, get_topics(), retriever) is None, text


def test_personnel_is_no_occupation(retriever):
    """退休人员, 特困人员 end as occupations' names do (员) but are people in general: a subsidy for them,
    with nothing of training beside it, is another benefit; a trainee (学员) still speaks of training."""
    for text in ("机关退休人员补助多少钱", "特困供养人员补贴标准是多少"):
        decision = other_benefit(text, get_topics(), retriever)
        assert decision is not None and decision.kind == "neighbour" and not decision.citations, text
    assert other_benefit("学员补贴什么时候发", get_topics(), retriever) is None


def test_a_word_the_documents_use_only_of_other_benefits_names_one_beside_a_certificate(retriever):
    """退休 is in the documents only in the clause on 社会保险补贴: a 退休补贴 is that kind of benefit, though a
    certificate is named beside it; 技能补贴 with a certificate is a training one."""
    decision = other_benefit("技能证书的退休补贴怎么领", get_topics(), retriever)
    assert decision.kind == "neighbour" and decision.replies[0].params == {"benefit": "退休补贴"}
    assert not decision.citations
    assert other_benefit("技能证书的技能补贴怎么领", get_topics(), retriever) is None


def test_graduates_asking_of_a_subsidy_without_training_ask_of_their_employment_subsidies(retriever):
    """Graduates' own subsidies are employment ones (topics.yml `askers`); with a training word, a
    certificate or a training benefit beside them they ask of training."""
    for text in (
        "未就业毕业生有补贴吗多少钱",
        "回自己城市工作的大学生有补贴吗",
        "毕业生能申请住房和生活补贴吗",
    ):
        decision = other_benefit(text, get_topics(), retriever)
        assert decision.kind == "neighbour" and not decision.citations, text
        assert decision.replies[0].params["benefit"] == "就业补贴", text
    for text in ("毕业生参加培训有补贴吗", "大学生考证有补贴吗", "高校毕业生技能提升补贴怎么领"):
        assert other_benefit(text, get_topics(), retriever) is None, text


def test_civil_servants_allowances_are_another_benefit_but_their_training_is_not(retriever):
    decision = other_benefit("公务员交通补贴标准是多少", get_topics(), retriever)
    assert decision.kind == "neighbour" and decision.replies[0].params["benefit"] == "机关事业单位津贴补贴"
    assert other_benefit("公务员参加技能培训有补贴吗", get_topics(), retriever) is None


def test_a_named_neighbour_wins_unless_a_training_benefit_is_named_too(retriever):
    assert (
        other_benefit("失业金能领多少", get_topics(), retriever).replies[0].params["benefit"] == "失业保险金"
    )
    assert other_benefit("领失业金期间参加创业培训有补贴吗", get_topics(), retriever) is None


@pytest.mark.parametrize(
    ("text", "benefit"),
    [
        ("稳岗返还是不是就是企业培训补贴", "稳岗返还"),
        ("以旧换新补贴和技能补贴是不是一个部门管", "以旧换新补贴"),
        ("失业金和培训补贴有什么区别", "失业保险金"),
        ("大学生来长沙工作的人才补贴和培训补贴是一回事吗", "人才补贴"),  # read beside 培训补贴, not named
    ],
)
def test_a_neighbour_set_beside_a_training_benefit_as_one_thing_is_the_one_asked_of(retriever, text, benefit):
    """Asked whether they are one, the answer is that the neighbour is no training subsidy and who handles
    it; asked whether both may be had (失业金和培训补贴能同时领吗), the training subsidy is asked of."""
    decision = other_benefit(text, get_topics(), retriever)
    assert decision.kind == "neighbour" and decision.replies[0].params["benefit"] == benefit
    assert other_benefit("失业金和培训补贴能同时领吗", get_topics(), retriever) is None


@pytest.mark.parametrize(
    ("text", "about_training"),
    [
        ("领失业金期间参加培训有补贴吗", True),
        ("失业补助要参加培训吗", False),
        ("领失业金需要什么证明补贴", False),
        ("低保家庭的孩子参加职业培训有补贴吗", True),
        ("低保一个月能领多少补贴", False),
        # the neighbour's own subsidy, named by it and a word that is no training word
        ("雨露计划职业教育补助每年申报时间", False),
        ("失业金培训补贴", True),
    ],
)
def test_a_named_neighbour_is_dismissed_unless_a_subsidy_for_training_is_asked_about(
    retriever, text, about_training
):
    """A subsidy asked about beside the neighbour, in a message with a training word or a word made of
    them (职业培训), is a training question (失业人员 and 低保家庭 may have 职业培训补贴); whole words only:
    证明 is no 证."""
    decision = other_benefit(text, get_topics(), retriever)
    assert (decision is None) == about_training
    assert about_training or decision.replies[0].params["benefit"] in (
        "失业保险金",
        "低保等社会救助",
        "学生资助",
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("技能提高补贴怎么申请", "技能提升补贴怎么申请"),
        ("以工代赈补贴怎么领", "以工代赈补贴怎么领"),  # a different programme: short names are not put right
        ("技能提升补贴和创业补贴", "技能提升补贴和创业补贴"),  # names a benefit exactly: left as it is
    ],
)
def test_a_training_benefit_name_one_character_off_is_put_right(text, expected):
    assert get_topics().spelled_right(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("老师您好，请问电工证补贴多少钱？谢谢！", "电工证补贴多少钱"),
        ("尊敬的领导您好！我想咨询一下技能补贴怎么领", "技能补贴怎么领"),
        ("衡阳人社局：我考的育婴员证，申请时限是多久？", "我考的育婴员证，申请时限是多久"),
        ("尊敬的领导：我是天津居民，培训补贴该找哪个部门？", "我是天津居民，培训补贴该找哪个部门"),
        ("各位大神好，电工证补贴去哪里领 求大神解答", "电工证补贴去哪里领"),
        ("急！上海职业技能补贴有哪些项目?有人知道吗", "上海职业技能补贴有哪些项目"),
        ("技能补贴该如何进行申请", "技能补贴该如何进行申请"),  # 请 of 申请 is no plea
        ("困难职工怎么申请帮助", "困难职工怎么申请帮助"),
        ("电工证好考吗，补贴多少", "电工证好考吗，补贴多少"),  # 好 in a question greets no one
        ("谢谢", "谢谢"),  # nothing but courtesy: left whole
        ("你好", "你好"),
    ],
)
def test_the_question_is_read_without_the_courtesies_around_it(text, expected):
    assert get_topics().bare(text) == expected


@pytest.mark.parametrize(
    ("text", "benefit"),
    [
        ("新能源汽车补贴多少", "新能源汽车补贴"),
        ("老年人补贴一个月多少", "老年人补贴"),
        ("残疾人补贴标准", "残疾人补贴"),
    ],
)
def test_a_benefit_for_something_other_than_training_is_named_as_another_benefit(retriever, text, benefit):
    """Nothing in the message speaks of training and the documents never name the benefit: it is not a
    training subsidy, whatever words of it the documents use elsewhere (残疾人 training is in them)."""
    decision = other_benefit(text, get_topics(), retriever)
    assert decision.kind == "neighbour" and decision.replies[0].params == {"benefit": benefit}


@pytest.mark.parametrize(
    "text",
    [
        "电焊补贴多少",
        "残疾人参加培训有补贴吗",
        "骗取就业补助资金会怎么处理",
        "补贴钱是直接打给个人吗",
        "国家补贴怎么领",
        "职业技能培训补贴发给谁",  # 技能培训补贴 is one jieba word: its parts are known words
    ],
)
def test_a_message_about_training_or_the_documents_own_funds_is_no_other_benefit(retriever, text):
    assert other_benefit(text, get_topics(), retriever) is None


@pytest.mark.parametrize("text", ["装修房子政府有补贴吗", "养宠物国家有补助吗"])
def test_a_subsidy_for_something_the_documents_never_speak_of_is_not_answered(retriever, text):
    """Nothing of training, and words no document uses: a subsidy for that, whatever its name."""
    decision = other_benefit(text, get_topics(), retriever)
    assert decision.kind == "not_covered" and not decision.citations


@pytest.mark.parametrize("text", ["补贴钱是直接打给个人吗", "师傅带徒弟有补贴吗", "心理咨询师补贴在哪里领"])
def test_a_subsidy_asked_about_alone_or_for_an_occupation_is_a_training_subsidy(retriever, text):
    assert other_benefit(text, get_topics(), retriever) is None


def test_who_pays_is_no_part_of_what_a_subsidy_is_for(retriever):
    """汽车政府补贴 is a subsidy for cars, whoever pays it: named as another benefit, no clause cited (the
    2017 rule's 二、（二） had answered 汽车政府补贴查询入口在哪 by its 查询). Beside a trade, 尽享政府补助 names no
    subsidy 尽享: 咖啡师……尽享政府补助 stays a training question."""
    topics = get_topics()
    car = other_benefit("汽车政府补贴查询入口在哪", topics, retriever)
    assert car is not None and car.kind == "neighbour" and not car.citations
    assert car.replies[0].params["benefit"] == "汽车补贴"
    assert other_benefit("山东咖啡师职业补贴政策:掌握咖啡技艺,尽享政府补助", topics, retriever) is None


def test_work_injury_is_a_neighbouring_benefit(retriever):
    """职业病 and 工伤鉴定 are work-injury insurance's: named with their office, nothing cited — not the 2017
    rule's clause on 职业技能鉴定. Training asked of by an injured worker stays training's."""
    topics = get_topics()
    injury = other_benefit("职业病鉴定流程如何申请工伤鉴定", topics, retriever)
    assert (
        injury is not None and injury.replies[0].params["benefit"] == "工伤保险待遇" and not injury.citations
    )
    assert other_benefit("工伤职工参加培训有补贴吗", topics, retriever) is None


@pytest.mark.parametrize(
    "text",
    [
        "社保卡信息有误导致补贴发放失败怎么办",
        "社保断缴会影响补贴吗",
        "迟到会扣除补贴吗",
        "没考过要退还补贴吗",
    ],
)
def test_a_cause_or_what_is_done_with_the_money_names_no_benefit(retriever, text):
    """导致补贴, 影响补贴, 扣除补贴, 退还补贴: a cause (a stop-word) or something done with the money (TAKING)
    stands before 补贴, not what it is for."""
    decision = other_benefit(text, get_topics(), retriever)
    assert decision is None or decision.kind != "neighbour", decision
