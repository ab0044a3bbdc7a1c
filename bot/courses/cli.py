"""`python -m bot courses import FILE.csv [--replace]`: the lead's `bot` CLI hands argv to `main`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.courses.importer import CatalogueImportError, import_catalogue
from bot.courses.messages import CLI_MESSAGES


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot courses", description="课程目录管理")
    commands = parser.add_subparsers(dest="command", required=True)
    importing = commands.add_parser("import", help="从 CSV 导入课程目录（全部成功才写入）")
    importing.add_argument("file", type=Path, help="UTF-8 编码的 CSV 文件")
    importing.add_argument("--replace", action="store_true", help="清空现有目录后再导入")
    return parser


def _say(key: str, count: int) -> None:
    print(CLI_MESSAGES[key].format(count=count), flush=True)


def main(argv: list[str]) -> int:
    try:
        arguments = _parser().parse_args(argv)
    except SystemExit as exit_:  # argparse has printed the usage message
        return int(exit_.code or 0)
    try:
        written = import_catalogue(
            arguments.file,
            replace=arguments.replace,
            on_checked=lambda count: _say("checked", count),
            on_written=lambda count: _say("written", count),
        )
    except CatalogueImportError as error:
        print(CLI_MESSAGES["failed"].format(count=len(error.issues)), file=sys.stderr)
        for line in error.report_lines():
            print(line, file=sys.stderr)
        return 1
    _say("replaced" if arguments.replace else "imported", written)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
