"""`python -m bot knowledge add|list|show|remove|check|set|summaries`: the `bot` CLI hands argv to `main`.

Every command that changes the base writes nothing unless all its input is good, then rebuilds the
retrieval index (`retrieval.index.ensure_built`) unless --no-index is given.
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from bot.knowledge import base, summaries
from bot.knowledge.errors import IntakeError
from bot.knowledge.intake import Draft, Options, prepare
from bot.knowledge.messages import CLI, FIELDS, PROBLEMS, SOURCES, STATUS
from retrieval.corpus import Document, chunk_document

if TYPE_CHECKING:
    from bot.settings import Settings

PREVIEW_CHARS = 30
LIST_HEADER = ("编号", "地区", "日期", "状态", "文号", "简称")
CLEAR = ("none", "null", "无")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot knowledge", description="政策文件知识库")
    commands = parser.add_subparsers(dest="command", required=True)

    add = commands.add_parser("add", help="录入政策文件（.txt .md .html .docx .pdf）")
    add.add_argument("files", nargs="+", type=Path, metavar="FILE")
    for option, text in (
        ("--doc-id", "文件编号，如 tj-2022-20（默认取文件名）"),
        ("--title", "标题"),
        ("--short-title", "简称"),
        ("--issuer", "发文机关，多个用空格分开"),
        ("--doc-number", "文号，如 津人社局发〔2022〕20号"),
        ("--date", "成文（印发）日期：2026-04-09、2026-04 或 2026"),
        ("--region", "地区：全国、省市县名称或行政区划代码"),
        ("--in-force-from", "施行日期"),
        ("--in-force-until", "有效期截止日"),
        ("--replaced-by", "取代本文件的文件编号"),
    ):
        add.add_argument(option, help=text)
    add.add_argument("--note", action="append", default=[], help="写入备注的说明（可多次）")
    add.add_argument("--yes", action="store_true", help="不再询问，直接写入")
    add.add_argument("--no-index", action="store_true", help="不更新检索索引")

    commands.add_parser("list", help="列出知识库里的文件及其有效状态")
    show = commands.add_parser("show", help="显示一份文件的信息和段落")
    show.add_argument("doc_id", metavar="DOC")
    remove = commands.add_parser("remove", help="删除一份文件")
    remove.add_argument("doc_id", metavar="DOC")
    remove.add_argument("--yes", action="store_true", help="不再询问，直接删除")
    remove.add_argument("--no-index", action="store_true", help="不更新检索索引")
    commands.add_parser("check", help="检查整个知识库")
    lifecycle = commands.add_parser("set", help="修改有效期、替代关系和回答时的提醒（写 none 清空）")
    lifecycle.add_argument("doc_id", metavar="DOC")
    lifecycle.add_argument("--in-force-from", help="施行日期")
    lifecycle.add_argument("--in-force-until", help="有效期截止日")
    lifecycle.add_argument("--replaced-by", help="取代它的文件编号")
    lifecycle.add_argument("--caveat", help="据此回答时必须附上的提醒（例如某条规定已被后来的文件修改）")
    lifecycle.add_argument("--no-index", action="store_true", help="不更新检索索引")
    plain = commands.add_parser("summaries", help="通俗解读：待写清单，记下所依据的原文")
    action = plain.add_mutually_exclusive_group(required=True)
    action.add_argument("--missing", action="store_true", help="列出还没有通俗解读的段落（可只列给出的文件）")
    action.add_argument(
        "--stamp", action="store_true", help="为核对过的解读记下原文指纹（不给段落编号：所有还没记的）"
    )
    plain.add_argument("ids", nargs="*", metavar="ID", help="--missing：文件编号；--stamp：段落编号")
    return parser


def main(argv: list[str], settings: Settings | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exit_:  # argparse has printed the usage message
        return int(exit_.code or 0)
    if settings is None:
        from bot.settings import get_settings

        settings = get_settings()
    command = {
        "add": _add,
        "list": _list,
        "show": _show,
        "remove": _remove,
        "check": _check,
        "set": _set,
        "summaries": _summaries,
    }
    try:
        return command[args.command](args, settings)
    except IntakeError as error:
        print(error.message(), file=sys.stderr)
        return 1


def _add(args: argparse.Namespace, settings: Settings) -> int:
    options = Options(
        **{key: getattr(args, key) for key in Options.__dataclass_fields__ if key != "notes"}, notes=args.note
    )
    if len(args.files) > 1 and options.given():
        raise IntakeError("per_file_options")
    known: dict[str, Document] = base.load_base(settings.knowledge_dir)
    drafts: list[Draft] = []
    for path in args.files:
        draft = prepare(path, options, known)
        known[draft.doc_id] = draft.document()
        drafts.append(draft)
    for draft in drafts:
        _print_draft(draft, settings.knowledge_dir)
    if not _confirmed(args.yes, CLI["confirm"]):
        return 1
    try:
        written = base.add_documents(settings.knowledge_dir, drafts)
    except base.CheckFailed as failed:
        print(CLI["rollback"], file=sys.stderr)
        _print_problems(failed.problems, sys.stderr)
        return 1
    for path in written:
        print(CLI["written"].format(path=path))
    for draft in drafts:
        for old, until, new in draft.hints:
            print(CLI["hint"].format(old=old, until=until, new=new))
    return _reindex(args, settings)


def _print_draft(draft: Draft, knowledge_dir: Path) -> None:
    print(
        CLI["draft"].format(
            file=draft.meta["source_file"], path=base.policy_path(knowledge_dir, draft.doc_id)
        )
    )
    for key, name in FIELDS.items():
        if key not in draft.meta:
            continue  # set later, not read from the text (the answers' caveat)
        value = draft.meta[key] or CLI["none"]
        if key == "region":
            value = (
                f"{value}（{draft.meta['region_adcode']}，{' / '.join(draft.meta['region_chain_names'])}）"
            )
        if key in ("notes", "source_file"):
            print(CLI["field_plain"].format(name=name, value=value))
            continue
        print(CLI["field"].format(name=name, value=value, source=SOURCES[draft.source(key)]))
    _print_passages(draft.passages)


def _print_passages(passages: list) -> None:
    print(CLI["passages"].format(count=len(passages)))
    _print_passage_lines(passages)


def _print_passage_lines(passages: list) -> None:
    for passage in passages:
        start = passage.text.replace("\n", " ")
        start = start if len(start) <= PREVIEW_CHARS else start[:PREVIEW_CHARS] + "…"
        print(CLI["passage"].format(passage_id=passage.passage_id, section=passage.section, start=start))


def _confirmed(yes: bool, question: str) -> bool:
    if yes:
        return True
    if not sys.stdin.isatty():
        print(CLI["no_confirmation"], file=sys.stderr)
        return False
    try:
        answer = input(question).strip().lower()
    except EOFError:
        answer = ""
    if answer in ("y", "yes", "是"):
        return True
    print(CLI["declined"])
    return False


def _reindex(args: argparse.Namespace, settings: Settings) -> int:
    if args.no_index:
        print(CLI["index_skipped"])
        return 0
    from retrieval.index import ensure_built

    print(CLI["index_start"], flush=True)
    manifest = ensure_built(settings, progress=lambda line: print(f"  {line}", flush=True))
    print(CLI["index_done"].format(documents=len(manifest["documents"]), passages=manifest["passages"]))
    return 0


def _status(document: Document) -> str:
    return STATUS[base.lifecycle_status(document)].format(replaced_by=document.replaced_by)


def _list(args: argparse.Namespace, settings: Settings) -> int:
    documents = sorted(
        base.load_base(settings.knowledge_dir).values(), key=lambda d: (d.region_adcode, d.doc_id)
    )
    rows = [LIST_HEADER] + [
        (d.doc_id, d.region, d.date, _status(d), d.doc_number or CLI["none"], d.short_title)
        for d in documents
    ]
    widths = [max(_width(row[i]) for row in rows) for i in range(len(LIST_HEADER) - 1)]
    for row in rows:
        print("  ".join([*(_pad(cell, width) for cell, width in zip(row, widths, strict=False)), row[-1]]))
    print(CLI["list_total"].format(count=len(documents)))
    return 0


def _width(text: str) -> int:
    """Columns the text takes in a terminal: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def _show(args: argparse.Namespace, settings: Settings) -> int:
    documents = base.load_base(settings.knowledge_dir)
    if args.doc_id not in documents:
        raise IntakeError("unknown_doc", doc_id=args.doc_id)
    document = documents[args.doc_id]
    for key, name in FIELDS.items():
        value = base.front_matter(document.path).get("notes") if key == "notes" else getattr(document, key)
        if key == "region":
            value = f"{value}（{document.region_adcode}，{' / '.join(document.region_chain_names)}）"
        print(CLI["field_plain"].format(name=name, value=value or CLI["none"]))
    print(CLI["field_plain"].format(name="状态", value=_status(document)))
    _print_passages(chunk_document(document))
    return 0


def _remove(args: argparse.Namespace, settings: Settings) -> int:
    documents = base.load_base(settings.knowledge_dir)
    if args.doc_id not in documents:
        raise IntakeError("unknown_doc", doc_id=args.doc_id)
    used = base.references(settings.knowledge_dir, args.doc_id)
    if used:
        raise IntakeError("still_referenced", doc_id=args.doc_id, places="、".join(used))
    question = CLI["confirm_remove"].format(doc_id=args.doc_id, title=documents[args.doc_id].title)
    if not _confirmed(args.yes, question):
        return 1
    print(CLI["removed"].format(path=base.remove_document(settings.knowledge_dir, args.doc_id)))
    return _reindex(args, settings)


def _check(args: argparse.Namespace, settings: Settings) -> int:
    problems, documents, passages = base.check(settings.knowledge_dir)
    if not problems:
        print(CLI["check_ok"].format(documents=documents, passages=passages))
        return 0
    print(CLI["check_failed"].format(count=len(problems)))
    _print_problems(problems)
    return 1


def _print_problems(problems: list[base.Problem], stream: TextIO | None = None) -> None:
    for problem in problems:
        detail = f"：{problem.detail}" if problem.detail else ""
        print(
            CLI["problem"].format(file=problem.file, problem=PROBLEMS[problem.key], detail=detail),
            file=stream,
        )


def _set(args: argparse.Namespace, settings: Settings) -> int:
    changes = {
        key: (None if value.strip().lower() in CLEAR else value)
        for key in base.SETTABLE_FIELDS
        if (value := getattr(args, key)) is not None
    }
    if not changes:
        raise IntakeError("set_nothing")
    path, values = base.set_lifecycle(settings.knowledge_dir, args.doc_id, changes)
    shown = "，".join(f"{FIELDS[k]} {v or CLI['none']}" for k, v in values.items())
    print(CLI["set"].format(path=path, changes=shown))
    return _reindex(args, settings)


def _summaries(args: argparse.Namespace, settings: Settings) -> int:
    if args.stamp:
        stamped = summaries.stamp(settings.knowledge_dir, args.ids or None)
        print(CLI["stamped"].format(count=len(stamped)) if stamped else CLI["stamped_none"])
        return 0
    missing = summaries.missing_summaries(settings.knowledge_dir, args.ids or None)
    documents = base.load_base(settings.knowledge_dir)
    for doc_id in dict.fromkeys(p.doc_id for p in missing):
        document = documents[doc_id]
        mine = [p for p in missing if p.doc_id == doc_id]
        print(
            CLI["missing_document"].format(
                doc_id=doc_id, title=document.short_title, status=_status(document), count=len(mine)
            )
        )
        _print_passage_lines(mine)
    total = sum(len(chunk_document(d)) for d in documents.values())
    print(CLI["missing_total"].format(count=len(missing), passages=total))
    return 0
