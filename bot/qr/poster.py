"""A printable poster (A4 portrait at 150 dpi): title, region, the QR code and short instructions,
written as PNG and SVG with the same layout."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from pathlib import Path

import qrcode
from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1240, 1754
QR_SIZE = 760
QR_TOP = 520
# Debian packages fonts-wqy-zenhei and fonts-noto-cjk; the first one present is used.
CJK_FONTS = (
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
)
SVG_FONT_FAMILY = "WenQuanYi Zen Hei, Noto Sans CJK SC, sans-serif"

TITLES = {
    "institution": "培训机构合规咨询",
    "agent": "热线坐席政策助手",
}
DEFAULT_TITLE = "职业技能培训政策咨询"
INSTRUCTIONS = (
    "微信扫一扫，或用手机相机扫码",
    "问补贴政策、找附近培训课程，随时在线解答",
    "需要人工服务，可在对话中说“转人工”",
)


class FontMissing(RuntimeError):
    """No CJK font installed: install Debian's fonts-wqy-zenhei or fonts-noto-cjk."""


@dataclass(frozen=True)
class Line:
    text: str
    size: int
    top: int
    bold: bool = False


def cjk_font_path() -> Path:
    for path in CJK_FONTS:
        if path.exists():
            return path
    raise FontMissing("未找到中文字体，请安装 fonts-wqy-zenhei 或 fonts-noto-cjk。")


def qr_matrix(url: str) -> list[list[bool]]:
    """Modules of the code, quiet zone included; error correction M survives a worn print."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    code.add_data(url)
    code.make(fit=True)
    return code.get_matrix()


def poster_lines(context: dict[str, str]) -> list[Line]:
    lines = [Line(TITLES.get(context.get("role", ""), DEFAULT_TITLE), 80, 150, bold=True)]
    if context.get("region"):
        lines.append(Line(context["region"], 60, 290))
    if context.get("campaign"):
        lines.append(Line(context["campaign"], 44, 390))
    top = QR_TOP + QR_SIZE + 90
    lines.extend(Line(text, 44, top + i * 80) for i, text in enumerate(INSTRUCTIONS))
    return lines


def render_png(url: str, context: dict[str, str], out: Path) -> None:
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    font_path = str(cjk_font_path())
    for line in poster_lines(context):
        font = ImageFont.truetype(font_path, line.size)
        draw.text(
            (WIDTH / 2, line.top),
            line.text,
            font=font,
            fill="black",
            anchor="mt",
            stroke_width=1 if line.bold else 0,
            stroke_fill="black",
        )
    matrix = qr_matrix(url)
    cell = QR_SIZE // len(matrix)
    left = (WIDTH - cell * len(matrix)) // 2
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                draw.rectangle(
                    (
                        left + x * cell,
                        QR_TOP + y * cell,
                        left + (x + 1) * cell - 1,
                        QR_TOP + (y + 1) * cell - 1,
                    ),
                    fill="black",
                )
    image.save(out, dpi=(150, 150))


def render_svg(url: str, context: dict[str, str], out: Path) -> None:
    matrix = qr_matrix(url)
    cell = QR_SIZE / len(matrix)
    left = (WIDTH - QR_SIZE) / 2
    path = "".join(
        f"M{left + x * cell:.2f} {QR_TOP + y * cell:.2f}h{cell:.2f}v{cell:.2f}h-{cell:.2f}z"
        for y, row in enumerate(matrix)
        for x, dark in enumerate(row)
        if dark
    )
    texts = "".join(
        f'<text x="{WIDTH / 2}" y="{line.top}" font-size="{line.size}" text-anchor="middle" '
        f'dominant-baseline="hanging" font-weight="{"bold" if line.bold else "normal"}">{escape(line.text)}</text>'
        for line in poster_lines(context)
    )
    out.write_text(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}">'
        f'<rect width="100%" height="100%" fill="white"/>'
        f'<g font-family="{SVG_FONT_FAMILY}" fill="black">{texts}</g>'
        f'<path d="{path}" fill="black"/></svg>',
        encoding="utf-8",
    )


def make_poster(url: str, context: dict[str, str], out: Path) -> list[Path]:
    """Writes `out` and its sibling in the other format (poster.png → poster.svg); returns both."""
    png, svg = out.with_suffix(".png"), out.with_suffix(".svg")
    out.parent.mkdir(parents=True, exist_ok=True)
    render_png(url, context, png)
    render_svg(url, context, svg)
    return [png, svg]
