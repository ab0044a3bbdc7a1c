"""The numbers an office asks for, over a period of days: conversations and messages per day, channel,
poster campaign and place; what share of messages was answered, declined or handed to a person; the
questions the assistant could not answer, grouped by meaning; and users' feedback.

Read from the review table (bot/review/turns.py; the page and the command fold the tracker store's new
events into it first) and review_feedback (bot/review/feedback.py). A conversation is a sender id; a day is a day in Beijing time. Every text
shown is masked again (bot.privacy.mask), as in the console and its exports.

Unanswered questions (declined or not understood) are grouped with the project's sentence embedder
(retrieval/embedder.py, the model retrieval uses): the wordings of one question ("失业金怎么领",
"失业保险金在哪领取") share few words but lie close in its space. Exact repeats are counted in SQL first,
so only the most frequent distinct wordings are embedded, whatever the size of the store."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import numpy as np
import sqlalchemy as sa

from bot.privacy import mask
from bot.review.feedback import feedback_engine, review_feedback
from bot.review.outcome import OUTCOME_LABELS, OUTCOMES
from bot.review.turns import review_engine, review_turns
from bot.textnorm import normalize_text

BEIJING = timezone(timedelta(hours=8))  # China has one time zone and no daylight saving time
DEFAULT_DAYS = 30
MAX_DAYS = 731
UNANSWERED = ("declined", "fallback")
TOP_QUESTIONS = 20
# Distinct wordings embedded for grouping (the most frequent): ~0.6 s for 300 with m3e-small on one core.
QUESTION_CANDIDATES = 400
# Cosine similarity at which two wordings are one question. With m3e-small, paraphrases of one
# question scored 0.87–0.95 and different questions at most 0.85 (docs/REVIEW.md); check it again
# after changing EMBEDDING_MODEL, as the retrieval thresholds.
SAME_QUESTION_SIMILARITY = 0.87
WORDINGS_SHOWN = 5

DIMENSIONS = {"day": "按日", "channel": "按渠道", "campaign": "按海报活动", "place": "按地区"}
CHANNEL_LABELS = {"h5": "H5 网页", "miniprogram": "微信小程序", "api": "接口"}
# What an empty key means: a message without channel, one not from a poster link, a place not known
UNNAMED = {"channel": "（未注明）", "campaign": "（非海报入口）", "place": "（未知）"}

Encode = Callable[[list[str]], np.ndarray]


@dataclass(frozen=True)
class Period:
    """Days in Beijing time, both inclusive."""

    since: date
    until: date

    @classmethod
    def last_days(cls, days: int = DEFAULT_DAYS, today: date | None = None) -> Period:
        today = today or datetime.now(BEIJING).date()
        return cls(today - timedelta(days=days - 1), today)

    def bounds(self) -> tuple[datetime, datetime]:
        """[start, end) as naive UTC datetimes, the form of review_turns.at."""

        def utc(day: date) -> datetime:
            return datetime.combine(day, datetime.min.time(), BEIJING).astimezone(UTC).replace(tzinfo=None)

        return utc(self.since), utc(self.until + timedelta(days=1))

    def days(self) -> list[date]:
        return [self.since + timedelta(days=n) for n in range((self.until - self.since).days + 1)]


@dataclass
class Tally:
    key: str
    label: str = ""  # the key as shown
    conversations: int = 0
    turns: int = 0
    outcomes: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))

    def share(self, outcome: str) -> float | None:
        return self.outcomes[outcome] / self.turns if self.turns else None


@dataclass
class QuestionGroup:
    text: str  # the most frequent wording
    turns: int
    conversations: int  # summed over the wordings: a conversation asking two of them counts twice
    wordings: list[str]  # the other wordings, most frequent first (at most WORDINGS_SHOWN)


@dataclass
class FeedbackTally:
    helpful: int
    not_helpful: int
    with_reason: int
    turns: int  # the period's messages, each answered by the assistant: what people could rate

    @property
    def given(self) -> int:
        return self.helpful + self.not_helpful

    @property
    def helpful_share(self) -> float | None:
        return self.helpful / self.given if self.given else None

    @property
    def rate(self) -> float | None:
        return self.given / self.turns if self.turns else None


@dataclass
class Stats:
    period: Period
    total: Tally
    by: dict[str, list[Tally]]  # DIMENSIONS → tallies (days in order, else most conversations first)
    unanswered: list[QuestionGroup]
    feedback: FeedbackTally


def compute_stats(period: Period, database_url: str, encode: Encode) -> Stats:
    """The numbers of the period from the review table as it is (sync it first)."""
    review_engine(database_url)  # the project database, with the review tables in it
    engine = feedback_engine(database_url)  # … and review_feedback
    start, end = period.bounds()
    in_period = sa.and_(review_turns.c.at >= start, review_turns.c.at < end)
    with engine.connect() as connection:
        (total,) = _tallies(connection, None, in_period) or [Tally("", "合计")]
        by = {name: _tallies(connection, name, in_period) for name in DIMENSIONS}
        unanswered = _unanswered_wordings(connection, in_period)
        feedback = _feedback(connection, in_period, total.turns)
    by["day"] = _every_day(period, by["day"])
    for name in ("channel", "campaign", "place"):
        by[name].sort(key=lambda t: (-t.conversations, -t.turns, t.key))
    return Stats(period, total, by, group_questions(unanswered, encode), feedback)


def _key_column(connection: sa.Connection, dimension: str | None) -> sa.ColumnElement[Any] | None:
    at = review_turns.c.at
    if dimension is None:
        return None
    if dimension != "day":
        return review_turns.c[dimension]
    if connection.dialect.name == "sqlite":  # at is stored as text "YYYY-MM-DD HH:MM:SS…"
        return sa.func.date(at, "+8 hours")
    return sa.func.to_char(at + timedelta(hours=8), "YYYY-MM-DD")


def _tallies(
    connection: sa.Connection, dimension: str | None, in_period: sa.ColumnElement[bool]
) -> list[Tally]:
    t = review_turns.c
    outcome_sums = [sa.func.sum(sa.case((t.outcome == name, 1), else_=0)).label(name) for name in OUTCOMES]
    counts = [sa.func.count().label("turns"), sa.func.count(sa.distinct(t.sender_id)).label("conversations")]
    key = _key_column(connection, dimension)
    query = sa.select(*([key.label("key")] if key is not None else []), *counts, *outcome_sums).where(
        in_period
    )
    if key is not None:
        query = query.group_by(key)
    tallies = []
    for row in connection.execute(query):
        if not row.turns:
            continue
        shown = mask(str(row.key)) if dimension else ""
        tallies.append(
            Tally(
                key=shown,
                label=_label(dimension, shown) if dimension else "合计",
                conversations=row.conversations,
                turns=row.turns,
                outcomes={name: int(row._mapping[name] or 0) for name in OUTCOMES},
            )
        )
    return tallies


def _label(dimension: str, key: str) -> str:
    if not key:
        return UNNAMED[dimension]
    return CHANNEL_LABELS.get(key, key) if dimension == "channel" else key


def _every_day(period: Period, tallies: list[Tally]) -> list[Tally]:
    """One tally per day of the period, days without messages included (a chart needs them)."""
    found = {t.key: t for t in tallies}
    return [found.get(day.isoformat()) or Tally(day.isoformat(), day.isoformat()) for day in period.days()]


def _unanswered_wordings(
    connection: sa.Connection, in_period: sa.ColumnElement[bool]
) -> list[tuple[str, int, int]]:
    """(text, messages, conversations) of the most frequent unanswered wordings. Texts starting with
    "/" are buttons and triggers the pages send, not something a user asked."""
    t = review_turns.c
    turns = sa.func.count().label("turns")
    query = (
        sa.select(t.text, turns, sa.func.count(sa.distinct(t.sender_id)).label("conversations"))
        .where(in_period, t.outcome.in_(UNANSWERED), t.text != "", ~t.text.startswith("/"))
        .group_by(t.text)
        .order_by(turns.desc(), t.text)
        .limit(QUESTION_CANDIDATES * 2)  # some merge once normalised
    )
    return [(row.text, row.turns, row.conversations) for row in connection.execute(query)]


def group_questions(wordings: Sequence[tuple[str, int, int]], encode: Encode) -> list[QuestionGroup]:
    """Wordings that mean the same question, as groups, the most asked first (at most TOP_QUESTIONS).
    Greedy: each wording, most frequent first, joins the first group whose leading wording it is at
    least SAME_QUESTION_SIMILARITY close to, else leads a new group."""
    merged: dict[str, list[Any]] = {}  # normalised form → [shown text, messages, conversations]
    for text, turns, conversations in wordings:
        shown = mask(normalize_text(text))
        key = "".join(ch for ch in shown if ch.isalnum()).lower()
        if not key:
            continue
        entry = merged.setdefault(key, [shown, 0, 0])
        entry[1] += turns
        entry[2] += conversations
    ranked = sorted(merged.values(), key=lambda e: (-e[1], e[0]))[:QUESTION_CANDIDATES]
    if not ranked:
        return []
    vectors = encode([text for text, _, _ in ranked])
    leaders: list[int] = []
    groups: list[QuestionGroup] = []
    for n, (text, turns, conversations) in enumerate(ranked):
        if leaders:
            similarity = vectors[leaders] @ vectors[n]
            best = int(np.argmax(similarity))
            if similarity[best] >= SAME_QUESTION_SIMILARITY:
                group = groups[best]
                group.turns += turns
                group.conversations += conversations
                if len(group.wordings) < WORDINGS_SHOWN:
                    group.wordings.append(text)
                continue
        leaders.append(n)
        groups.append(QuestionGroup(text, turns, conversations, []))
    groups.sort(key=lambda g: (-g.turns, g.text))
    return groups[:TOP_QUESTIONS]


def _feedback(connection: sa.Connection, in_period: sa.ColumnElement[bool], turns: int) -> FeedbackTally:
    """Verdicts on the period's turns, whenever they were given."""
    f, t = review_feedback.c, review_turns.c
    on_turn = review_feedback.join(review_turns, sa.and_(f.sender_id == t.sender_id, f.turn == t.turn))
    query = (
        sa.select(
            sa.func.sum(sa.case((f.helpful == sa.true(), 1), else_=0)),
            sa.func.sum(sa.case((f.helpful == sa.false(), 1), else_=0)),
            sa.func.count(f.reason),
        )
        .select_from(on_turn)
        .where(in_period)
    )
    helpful, not_helpful, with_reason = connection.execute(query).one()
    return FeedbackTally(int(helpful or 0), int(not_helpful or 0), int(with_reason or 0), turns)


# ---------------------------------------------------------------------------------------- rendering


def stats_json(stats: Stats) -> dict[str, Any]:
    def tally(t: Tally) -> dict[str, Any]:
        return {
            "key": t.key,
            "label": t.label,
            "conversations": t.conversations,
            "turns": t.turns,
            "outcomes": t.outcomes,
            "shares": {name: t.share(name) for name in OUTCOMES},
        }

    feedback = stats.feedback
    return {
        "since": stats.period.since.isoformat(),
        "until": stats.period.until.isoformat(),
        "outcome_labels": OUTCOME_LABELS,
        "total": tally(stats.total),
        "by": {name: [tally(t) for t in tallies] for name, tallies in stats.by.items()},
        "unanswered": [
            {"text": g.text, "turns": g.turns, "conversations": g.conversations, "wordings": g.wordings}
            for g in stats.unanswered
        ],
        "feedback": {
            "helpful": feedback.helpful,
            "not_helpful": feedback.not_helpful,
            "with_reason": feedback.with_reason,
            "given": feedback.given,
            "turns": feedback.turns,
            "helpful_share": feedback.helpful_share,
            "rate": feedback.rate,
        },
    }


CSV_HEADER = [
    "类别",
    "项目",
    "会话数",
    "消息数",
    *(OUTCOME_LABELS[o] for o in OUTCOMES),
    "已回答占比",
    "拒答占比",
    "转人工占比",
]


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value:.1%}"


def stats_csv(stats: Stats) -> str:
    """One table an office opens in Excel (UTF-8 with BOM): totals, each dimension, the unanswered
    questions and the feedback, one row each, told apart by the first column."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)

    def tally_row(kind: str, t: Tally) -> list[Any]:
        shares = [_percent(t.share(o)) for o in ("answered", "declined", "handoff")]
        return [
            kind,
            t.label,
            t.conversations,
            t.turns,
            *(t.outcomes[o] for o in OUTCOMES),
            *shares,
        ]

    writer.writerow(tally_row(f"合计（{stats.period.since}～{stats.period.until}）", stats.total))
    for name, label in DIMENSIONS.items():
        for t in stats.by[name]:
            writer.writerow(tally_row(label, t))
    for group in stats.unanswered:
        wordings = f"（另有问法：{'；'.join(group.wordings)}）" if group.wordings else ""
        writer.writerow(["未回答的问题", group.text + wordings, group.conversations, group.turns])
    feedback = stats.feedback
    writer.writerow(["用户评价", "有帮助", "", feedback.helpful])
    writer.writerow(["用户评价", "没帮助", "", feedback.not_helpful])
    writer.writerow(["用户评价", "评价率（评价数 / 消息数）", "", _percent(feedback.rate)])
    return out.getvalue()


def stats_text(stats: Stats) -> str:
    """The report for a terminal: numbers first, names last (Chinese characters are two columns wide)."""
    total, feedback = stats.total, stats.feedback
    lines = [
        f"咨询统计 {stats.period.since} 至 {stats.period.until}（北京时间）",
        f"会话 {total.conversations:,}，消息 {total.turns:,}",
        "，".join(
            f"{OUTCOME_LABELS[o]} {_percent(total.share(o)) or '—'}（{total.outcomes[o]:,}）"
            for o in OUTCOMES
        ),
        f"用户评价：有帮助 {feedback.helpful:,}，没帮助 {feedback.not_helpful:,}"
        f"（有帮助 {_percent(feedback.helpful_share) or '—'}，附原因 {feedback.with_reason:,}）；"
        f"评价率 {_percent(feedback.rate) or '—'}（{feedback.given:,} 条评价 / {feedback.turns:,} 条消息）",
    ]
    header = f"{'会话':>6}{'消息':>7}{'已回答':>6}{'拒答':>7}{'没听懂':>6}{'转人工':>6}  "
    for name, label in DIMENSIONS.items():
        lines += ["", label, header + ("日期" if name == "day" else label.removeprefix("按"))]
        for t in stats.by[name]:
            shares = "".join(
                f"{_percent(t.share(o)) or '—':>9}" for o in ("answered", "declined", "fallback", "handoff")
            )
            lines.append(f"{t.conversations:>8,}{t.turns:>9,}{shares}  {t.label}")
    lines += ["", "没能回答的问题（拒答和没听懂，意思相近的合为一条）"]
    for n, group in enumerate(stats.unanswered, 1):
        also = f"；也这样问：{'；'.join(group.wordings)}" if group.wordings else ""
        lines.append(f"{n:>3}. {group.text}（{group.turns:,} 次，{group.conversations:,} 个会话{also}）")
    if not stats.unanswered:
        lines.append("    （没有）")
    return "\n".join(lines)
