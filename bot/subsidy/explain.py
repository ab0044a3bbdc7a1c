"""Render an assessment as plain Chinese from the templates in `templates.yml`, and list its citations."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from bot.subsidy.assess import Assessment, Finding, Item
from bot.subsidy.rules import Basis, RuleBook


@dataclass(frozen=True)
class Context:
    region: str | None
    authority: str | None  # whom to ask when the sources leave the amount open; None for unknown regions
    hotline: str
    total_yuan: int | None
    conditional: dict[str, Any] | None = None  # Estimate.conditional


class _Renderer:
    def __init__(self, book: RuleBook, hotline: str) -> None:
        self.book = book
        self.templates = book.templates
        self.hotline = hotline

    def __call__(self, key: str, **params: Any) -> str:
        separator = self.templates.list_separator
        values = {k: separator.join(v) if isinstance(v, tuple | list) else v for k, v in params.items()}
        return self.templates.explanations[key].format(hotline=self.hotline, **values)

    def item(self, item: Item, eligible: bool | None) -> str:
        payee = self.templates.payee_labels[item.payee or "unstated"]
        params = {
            "name": item.name,
            "amount": item.amount_yuan,
            "payee": payee,
            "title": self.book.title(item.basis.doc_id),
            "year": self.book.year(item.basis.doc_id),
            "clause": item.basis.clause,
        }
        if item.wording is not None:
            key, extra = item.wording
            if "options" in extra:
                options = tuple(self("item_option", label=k, amount=v) for k, v in extra["options"])
                extra = {**extra, "options": options}
            return self(key, **params, **extra)
        if item.amount_yuan is None:
            return self("item_no_amount", **params)
        return self("item_amount" if eligible else "item_amount_pending", **params)


def condition_text(finding: Finding, book: RuleBook) -> str:
    """A plain condition on an amount, worded to follow 如果 (是彭阳户籍的……)."""
    return _Renderer(book, "")(finding.key, **finding.params)


def explain(assessment: Assessment, context: Context, book: RuleBook) -> str:
    render = _Renderer(book, context.hotline)
    parts: list[str] = []
    if context.total_yuan is not None:
        parts.append(render("total", region=context.region, total=context.total_yuan))
    if context.conditional is not None:
        conditions = "，并且".join(c["text"] for c in context.conditional["conditions"])
        parts.append(
            render("conditional_total", conditions=conditions, total=context.conditional["amount_yuan"])
        )
    parts += [render.item(item, assessment.eligible) for item in assessment.items]
    parts += [render(f.key, **f.params) for f in assessment.findings]
    if context.conditional is not None:
        labels = tuple(book.templates.field_labels[c["field"]] for c in context.conditional["conditions"])
        parts.append(render("check_conditions", fields=labels))
    elif assessment.missing:
        labels = tuple(book.templates.field_labels[name] for name in assessment.missing)
        parts.append(render("missing", fields=labels))
    if context.authority and _leaves_amount_open(assessment):
        parts.append(render("contact", authority=context.authority))
    return "".join(parts)


def explain_national(assessment: Assessment, book: RuleBook, hotline: str) -> str:
    """The national items said after the region's answer; "" when there are none."""
    if not assessment.items:
        return ""
    render = _Renderer(book, hotline)
    parts = [render("national")]
    parts += [render.item(item, None) for item in assessment.items]
    parts += [render(f.key, **f.params) for f in assessment.findings]
    return "".join(parts)


def _leaves_amount_open(assessment: Assessment) -> bool:
    """The sources, not the user, leave the answer open: an unpublished amount or an undecidable case."""
    if assessment.eligible is False:
        return False
    unpriced = any(item.amount_yuan is None for item in assessment.items)
    return unpriced or (assessment.eligible is None and not assessment.missing)


def _bases(assessment: Assessment) -> Iterator[Basis]:
    yield from (item.basis for item in assessment.items)
    yield from (f.basis for f in assessment.findings if f.basis is not None)
    yield from assessment.references


def citations(assessment: Assessment, book: RuleBook) -> list[dict[str, Any]]:
    """Every clause behind the answer once, in the retrieval API's citation shape; score 1.0 (exact rule)."""
    unique = dict.fromkeys(_bases(assessment))
    return [
        {
            "doc_id": basis.doc_id,
            "title": book.title(basis.doc_id),
            "section": basis.clause,
            "text": basis.quote,
            "score": 1.0,
        }
        for basis in unique
    ]
