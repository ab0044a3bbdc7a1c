"""`python -m bot qr make --region 彭阳县 --role trainee --campaign 2027春季招生 --out poster.png`"""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.qr.poster import FontMissing, make_poster
from bot.qr.signing import entry_url
from bot.settings import get_settings

ROLES = ("trainee", "institution", "agent")


def cmd_make(args: argparse.Namespace) -> int:
    settings = get_settings()
    context = {
        key: value for key in ("channel", "region", "role", "campaign") if (value := getattr(args, key))
    }
    url = entry_url(args.base_url or settings.public_base_url, context, settings.entry_signing_secret)
    try:
        written = make_poster(url, context, Path(args.out))
    except FontMissing as error:
        print(error)
        return 1
    print(f"入口链接：{url}")
    for path in written:
        print(f"海报：{path}")
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot qr", description="海报二维码")
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("make", help="生成带签名入口链接的二维码海报（PNG 和 SVG）")
    make.add_argument("--region", help="地区，如 彭阳县")
    make.add_argument("--role", choices=ROLES, default="trainee", help="对象：学员、培训机构或坐席")
    make.add_argument("--campaign", help="活动，如 2027春季招生")
    make.add_argument("--channel", default="h5", help="入口渠道（默认 h5）")
    make.add_argument("--base-url", help="公开访问地址（默认取设置 PUBLIC_BASE_URL）")
    make.add_argument("--out", required=True, help="输出文件，如 poster.png（同名 .svg 一并生成）")
    make.set_defaults(func=cmd_make)
    args = parser.parse_args(argv)
    return args.func(args)
