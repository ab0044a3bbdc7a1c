"""What a policy document says about itself: title, issuer, document number, dates, life cycle, region.

Everything is read from the document's own lines (official-document layout, GB/T 9704: issuer header,
document number, title, body, signature, date of writing, colophon "…印发"); nothing is guessed. A field
the text does not give stays None, and the operator supplies it with an option.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from bot.gazetteer import Place, enclosing_places, resolve_place

HAN = "\u4e00-\u9fff"
YEAR_DATE = r"(?:19|20)\d{2}\s*年(?:\s*\d{0,2}\s*月(?:\s*\d{0,2}\s*日)?)?"
CHINESE_DATE = r"[〇零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,2}月(?:[一二三四五六七八九十]{1,3}日)?"
ISO_DATE = r"(?:19|20)\d{2}[-/.]\d{1,2}(?:[-/.]\d{1,2})?"
DATE = f"(?:{YEAR_DATE}|{CHINESE_DATE}|{ISO_DATE})"
DATE_LINE = re.compile(rf"^{DATE}$")
COLOPHON = re.compile(rf"({DATE})\s*印发$")
DOC_NUMBER = re.compile(
    rf"([{HAN}]{{1,8}})\s*[〔\[［【(（]\s*((?:19|20)\d{{2}})\s*[〕\]］】)）]\s*第?\s*(\d{{1,4}})\s*号"
)
DAMAGED_NUMBER = re.compile(rf"[{HAN}]{{2,8}}〔(?!(?:19|20)\d{{2}}〕\d)\d{{0,6}}〕\d*号")
DAMAGED_DATE = re.compile(r"\d{4}年月\d{0,2}日?|年月\d{1,2}日|\d{4}年\d{1,2}月日")
ORG = rf"[{HAN}（）]{{0,30}}?(?:中共中央|人民政府|办公厅|办公室|委员会|领导小组|总工会|联合会|残联|妇联|部|厅|局|委|院|署)"
ORG_LINE = re.compile(rf"^(?:{ORG}\s*)+(?:文件)?$")
CENTRAL_ORG = re.compile(r"^(?:国务院|中共中央|全国|国家|中华人民共和国|中央)|部(?:办公厅)?$")
# An issuer's name glued in front of a document number's prefix ends with one of these.
NUMBER_CUT = "部厅局委府院室组办"
TITLE_KINDS = "通知|意见|决定|办法|规定|方案|批复|函|公告|通告|通报|细则|规则|计划|纲要|指引|指南|措施"
TITLE_END = rf"的(?:实施|指导|补充|若干)?(?:{TITLE_KINDS})"  # …的通知, …的实施意见, …的补充通知
PUBLISHED_TITLE = re.compile(r"(?:印发|转发|公布)[《〈]([^》〉]+)[》〉]")
IN_FORCE_FROM = re.compile(rf"(本[^，。；]{{0,12}}?)?自\s*({DATE})\s*起(?:正式)?(?:施行|执行|实施|生效)")
IN_FORCE_ON_ISSUE = re.compile(r"自(?:印发|发布|公布|下发|发文)之日起(?:开始)?(?:施行|执行|实施|生效)")
IN_FORCE_UNTIL = re.compile(rf"有效期至\s*({DATE})|({DATE})\s*废止|至\s*({DATE})\s*止")
VALID_YEARS = re.compile(r"有效期(?:为)?\s*(\d{1,2}|[一二三四五六七八九十])\s*年")
STILL_APPLIES = re.compile(r"仍(?:按照?|执行|适用)《([^》]+)》")
TITLE_IN_BRACKETS = re.compile(r"《((?:[^《》]|《[^》]*》)+)》(?:[（(]([^）)]*)[）)])?")
LOST_TABLE = re.compile(r"^[\[【［]\s*(?:表格|表|table)\s*[\]】］]$", re.IGNORECASE)
STRUCTURAL = re.compile(r"^(第[一二三四五六七八九十百零〇]+[章节条]|[一二三四五六七八九十]+、|\d+[．.、])")
WEB_FIELD = re.compile(r"^(成文日期|文\s*号)\s*[：:][\s|]*(.+?)[\s|]*$")  # a web page's header fields
HEAD_LINES = 15
CHINESE_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0}
NATIONAL = {
    "region": "全国",
    "region_adcode": "000000",
    "region_chain": ["000000"],
    "region_chain_names": ["全国"],
}


@dataclass
class Head:
    """The document's header: where the title is, and what the lines before it name."""

    title: str | None = None
    doc_number: str | None = None
    issuers: list[str] = field(default_factory=list)
    body_start: int = 0  # first line of the body
    body_rest: str = ""  # the part of a header line after the title, when the body was glued to it


@dataclass
class Replaced:
    title: str
    cited_as: str  # the number in brackets after the title, as it stands ("" when none)
    still_applies: bool  # "…前开展的培训仍按照《X》执行" rather than "《X》同时废止"

    @property
    def doc_number(self) -> str | None:
        return normalize_doc_number(self.cited_as)


def parse_date(text: str) -> str | None:
    """ "2022年8月1日" / "2023年月日" / "2017-5" / "二〇二六年四月九日" → "2022-08-01" / "2023" / "2017-05"."""
    text = re.sub(r"\s+", "", text)
    chinese = re.fullmatch(
        r"([〇零一二三四五六七八九]{4})年(?:([一二三四五六七八九十]+)月)?(?:([一二三四五六七八九十]+)日)?",
        text,
    )
    arabic = re.fullmatch(
        r"((?:19|20)\d{2})(?:年(\d{0,2})(?:月(\d{0,2})日?)?|[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?", text
    )
    if chinese:
        year = int("".join(str(CHINESE_DIGITS[c]) for c in chinese.group(1)))
        month, day = (_small_number(g) if g else None for g in chinese.groups()[1:])
    elif arabic:
        year = int(arabic.group(1))
        month, day = (
            int(a or b) if a or b else None for a, b in ((arabic[2], arabic[4]), (arabic[3], arabic[5]))
        )
    else:
        return None
    if month is None:
        return f"{year:04d}"  # a day whose month was lost ("年月31日") means nothing alone
    if not 1 <= month <= 12:
        return None
    if day is None:
        return f"{year:04d}-{month:02d}"
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def _small_number(text: str) -> int:
    """一 … 九十九 (months, days, years of validity)."""
    tens, ten, ones = ("一" + text if text.startswith("十") else text).partition("十")
    if not ten:
        return CHINESE_DIGITS[tens]
    return CHINESE_DIGITS[tens] * 10 + (CHINESE_DIGITS[ones] if ones else 0)


def normalize_doc_number(text: str) -> str | None:
    """The first document number in the text, in the 〔〕 form: "津人社局发[2022]20号" → "津人社局发〔2022〕20号"."""
    match = DOC_NUMBER.search(text)
    return _format_number(match) if match else None


def _format_number(match: re.Match[str]) -> str:
    prefix = match.group(1)
    for i in range(len(prefix) - 1, -1, -1):  # drop an issuer's name glued in front: 保障部财社 → 财社
        if prefix[i] in NUMBER_CUT and len(prefix) - i - 1 >= 2:
            prefix = prefix[i + 1 :]
            break
    return f"{prefix}〔{match.group(2)}〕{int(match.group(3))}号"


def organisations(text: str) -> list[str]:
    """Issuer names in a header, signature or title prefix: "人力资源社会保障部财政部" → both; [] otherwise."""
    text = re.sub(r"\s+", "", text).removesuffix("文件")
    if not text or len(text) > 60 or not ORG_LINE.fullmatch(text):
        return []
    names: list[str] = []
    for name in re.findall(ORG, text):
        if names and name in ("办公厅", "办公室"):
            names[-1] += name  # 国务院 + 办公厅 is one issuer
        else:
            names.append(name)
    return names


def _cited(line: str, start: int) -> bool:
    """A number right after a 《title》 is the cited document's, not this one's."""
    return line[:start].rstrip(" （(").endswith(("》", "〉"))


def read_head(lines: list[str]) -> Head:
    head = Head()
    scan = lines[:HEAD_LINES]
    for i, line in enumerate(scan):
        span = _official_title(scan, i)
        if span is None:
            continue
        j, about, end, joined = span
        start = _title_start(line, about)
        numbers = [m for m in DOC_NUMBER.finditer(line[:start]) if not _cited(line, m.start())]
        head.doc_number = _format_number(numbers[-1]) if numbers else None
        head.title, head.body_start, head.body_rest = joined[start:end], j + 1, joined[end:].strip()
        head.issuers = [o for earlier in scan[:i] for o in organisations(earlier)]
        break
    else:
        for i, line in enumerate(scan[:10]):
            if _title_like(line):
                head.title, head.body_start = line, i + 1
                head.issuers = [o for earlier in scan[:i] for o in organisations(earlier)]
                break
    for i, line in enumerate(scan):
        field_value = WEB_FIELD.match(line)
        bare = line.strip("（()） ")
        match = DOC_NUMBER.search(field_value.group(2)) if field_value else DOC_NUMBER.fullmatch(bare)
        if match:
            head.doc_number = head.doc_number or _format_number(match)
            if i == head.body_start:  # the number line under the title is header too
                head.body_start += 1
    return head


def _official_title(lines: list[str], i: int) -> tuple[int, int, int, str] | None:
    """(last line, 关于 position, end position, joined lines) of a "…关于…的通知" title starting in line i,
    which may run over up to four lines and must close every 《 it opens."""
    about = lines[i].find("关于")
    if about < 0 or re.search("[，。；：、《]", lines[i][:about]) or STRUCTURAL.match(lines[i]):
        return None
    for j in range(i, min(i + 4, len(lines))):
        joined = "".join(lines[i : j + 1])
        for match in re.finditer(TITLE_END, joined[about:]):
            title = joined[about : about + match.end()]
            if re.search("[。；]", title):
                return None
            if title.count("《") + title.count("〈") == title.count("》") + title.count("〉"):
                return j, about, about + match.end(), joined
    return None


def _title_start(line: str, about: int) -> int:
    """Where the title begins in its line: after a document number or an "XX文件" header glued before it."""
    start = 0
    for match in DOC_NUMBER.finditer(line[:about]):
        if not _cited(line, match.start()):
            start = match.end()
    return start


def _title_like(line: str) -> bool:
    return (
        4 <= len(line) <= 60
        and not re.search("[。；：:]", line)
        and not DATE_LINE.match(line)
        and not DOC_NUMBER.fullmatch(line.strip("（()） "))
        and not organisations(line)
        and not STRUCTURAL.match(line)
        and not line.startswith(("（", "("))
    )


def signature(lines: list[str]) -> list[str]:
    """Issuers named in the signature: the last run of lines that consist of issuer names only."""
    names: list[str] = []
    for line in reversed(lines[-8:]):
        found = organisations(line)
        if found:
            names = found + names
        elif names:
            break
    return names


def issue_date(lines: list[str]) -> str | None:
    """The date of writing (a web page's 成文日期 field, or a line holding only a date), else the
    colophon's "…印发" date."""
    for line in lines[:HEAD_LINES]:
        field_value = WEB_FIELD.match(line)
        written = (
            re.match(DATE, field_value.group(2))
            if field_value and field_value.group(1) == "成文日期"
            else None
        )
        if written:
            return parse_date(written.group(0))
    for pattern in (DATE_LINE, COLOPHON):
        for line in reversed(lines):
            match = pattern.search(line)
            if match:
                return parse_date(match.group(1) if pattern is COLOPHON else match.group(0))
    return None


def in_force(text: str, issued: str | None) -> tuple[str | None, str | None]:
    """(in force from, in force until) as the text states them; "自印发之日起施行" means the issue date."""
    starts = list(IN_FORCE_FROM.finditer(text))
    own = [m for m in starts if m.group(1)] or starts
    start = parse_date(own[0].group(2)) if own else issued if IN_FORCE_ON_ISSUE.search(text) else None
    until = None
    match = IN_FORCE_UNTIL.search(text)
    if match:
        until = parse_date(next(g for g in match.groups() if g))
    elif start and len(start) == 10 and (years := VALID_YEARS.search(text)):
        count = int(years.group(1)) if years.group(1).isdigit() else _small_number(years.group(1))
        until = _years_later_minus_one_day(start, count)
    return start, until


def _years_later_minus_one_day(start: str, years: int) -> str:
    begin = date.fromisoformat(start)
    end = begin.replace(year=begin.year + years, day=min(begin.day, 28) if begin.month == 2 else begin.day)
    return (end - timedelta(days=1)).isoformat()


def replaced_documents(text: str) -> list[Replaced]:
    """Earlier documents this one ends: "《X》同时废止" and "…前开展的仍按照《X》执行"."""
    found: list[Replaced] = []
    for sentence in re.split("[。；]", text):
        if "废止" in sentence and not re.search(rf"{DATE}\s*废止", sentence):
            for match in TITLE_IN_BRACKETS.finditer(sentence):
                found.append(Replaced(match.group(1), match.group(2) or "", False))
        for match in STILL_APPLIES.finditer(sentence):
            found.append(Replaced(match.group(1), "", True))
    return found


def lost_tables(lines: list[str]) -> list[list[str]]:
    """For each "[表格]" marker, the table titles left above it (a "（…）" line belongs to the title above)."""
    found = []
    for i, line in enumerate(lines):
        if not LOST_TABLE.match(line):
            continue
        titles: list[str] = []
        for above in reversed(lines[max(0, i - 8) : i]):
            if re.search("[。；：]", above) or LOST_TABLE.match(above) or above.startswith("附件"):
                break
            titles.insert(0, above)
        merged: list[str] = []
        for title in titles:
            if merged and re.fullmatch(r"[（(][^）)]+[）)]", title):
                merged[-1] += title
            else:
                merged.append(title)
        found.append(merged)
    return found


def damaged_references(text: str) -> list[str]:
    """Document numbers and dates with digits lost in extraction, as they stand (e.g. 财社〔7〕164号, 每年月31日)."""
    return list(dict.fromkeys(m.group(0) for p in (DAMAGED_NUMBER, DAMAGED_DATE) for m in p.finditer(text)))


def region_of(issuers: list[str], title: str) -> dict[str, object] | None:
    """Front-matter region fields from the issuers (central bodies → 全国), else from the title; None if unclear."""
    places = {p.adcode: p for p in map(_leading_place, issuers) if p}
    if len(places) == 1:
        return region_fields(next(iter(places.values())))
    if places:
        return None  # issuers of different places: the operator says which
    if issuers and all(CENTRAL_ORG.search(o) for o in issuers):
        return dict(NATIONAL)
    place = _leading_place(PUBLISHED_TITLE.sub(r"\1", title).removeprefix("关于"))
    return region_fields(place) if place else None


def _leading_place(text: str) -> Place | None:
    """The place a name starts with (天津市人力资源和社会保障局 → 天津市). Prefixes are tried longest first,
    and the place must open the name, so 人力资源 (资源县) inside a ministry's name does not count."""
    for end in range(min(len(text), 20), 1, -1):
        place = resolve_place(text[:end])
        if place:
            chain = enclosing_places(place)
            return place if any(text.startswith(p.name[:2]) for p in chain) else None
    return None


def region_fields(place: Place) -> dict[str, object]:
    chain = list(reversed(enclosing_places(place)))
    return {
        "region": place.name,
        "region_adcode": place.adcode,
        "region_chain": [p.adcode for p in chain],
        "region_chain_names": [p.name for p in chain],
    }


def resolve_region(text: str) -> dict[str, object] | None:
    """An operator's --region: 全国, a place name or an adcode."""
    if text.strip() in ("全国", "000000"):
        return dict(NATIONAL)
    place = resolve_place(text)
    return region_fields(place) if place else None


def short_title(title: str, region: str) -> str:
    """关于印发《X》的通知 → X; 关于X(有关问题)的通知 → X; prefixed with the region's short name if X lacks it."""
    published = PUBLISHED_TITLE.search(title)
    about = re.search(rf"关于(.+?)(?:有关问题|有关事项)?{TITLE_END}$", title)
    short = published.group(1) if published else about.group(1) if about else title
    local = re.sub(r"(回族|壮族|维吾尔)?(自治区|自治州|自治县|特别行政区|省|市|县|区)$", "", region)
    if region != "全国" and local and local not in short:
        short = f"{local}{short}"
    return short
