"""`python -m bot review <command>`: the conversation review from the command line.

sync      fold new tracker-store events into the review table (the console also does it as it goes)
export    operators' labels as NLU training / held-out data and real-question cases
seed      write synthetic conversations into a tracker store (benchmarks, tests)
stats     the office's numbers for a period (and as CSV)
purge     delete or anonymise conversations older than the retention period
bench-stats  stats and purge timings on a seeded store
bench     console list / filter latency and sync time on a seeded store
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date

from bot.review import export as review_export


def _progress(what: str):
    started = time.monotonic()

    def show(done: int, total: int) -> None:
        share = f"{done / total:.0%}，" if total else ""
        print(f"{what} {done:,} / {total:,}（{share}{time.monotonic() - started:.0f} 秒）", flush=True)

    return show


def cmd_sync(args: argparse.Namespace) -> int:
    from bot.review.turns import sync

    started = time.monotonic()
    new = sync(args.tracker_db, args.db, progress=_progress("已整理事件"))
    print(f"新增 {new:,} 轮对话，用时 {time.monotonic() - started:.1f} 秒")
    return 0


def cmd_seed(args: argparse.Namespace) -> int:
    from bot.review.seed import seed

    try:
        written = seed(
            args.db, args.conversations, days=args.days, rng_seed=args.seed, progress=_progress("已生成对话")
        )
    except ValueError as error:
        print(f"参数有误：{error}", file=sys.stderr)
        return 2
    print(f"写入 {args.conversations:,} 个对话、{written:,} 条事件 → {args.db}")
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    from bot.review.stats import DEFAULT_DAYS, Period, compute_stats, stats_csv, stats_text
    from bot.review.turns import sync
    from bot.settings import get_settings
    from retrieval.embedder import get_embedder

    settings = get_settings()
    tracker_url, database_url = (
        args.tracker_db or settings.tracker_store_url,
        args.db or settings.database_url,
    )
    default = Period.last_days(DEFAULT_DAYS, args.until)
    period = Period(args.since or default.since, args.until or default.until)
    if period.since > period.until:
        print("参数有误：开始日期不能晚于结束日期", file=sys.stderr)
        return 2
    sync(tracker_url, database_url, progress=_progress("已整理事件"))
    stats = compute_stats(period, database_url, get_embedder(settings.embedding_model).encode)
    print(stats_text(stats))
    if args.csv:
        with open(args.csv, "w", encoding="utf-8", newline="") as out:
            out.write(stats_csv(stats))
        print(f"\nCSV：{args.csv}")
    return 0


def cmd_purge(args: argparse.Namespace) -> int:
    from bot.review.purge import plan_purge, plan_text, purge
    from bot.settings import get_settings

    settings = get_settings()
    tracker_url, database_url = (
        args.tracker_db or settings.tracker_store_url,
        args.db or settings.database_url,
    )
    days = args.days or settings.review_retention_days
    plan = plan_purge(days, tracker_url, database_url, anonymise=args.anonymise)
    print(plan_text(plan, days))
    if not plan.senders:
        return 0
    if args.dry_run:
        print("（试运行，没有改动任何数据；去掉 --dry-run 即执行）")
        return 0
    purge(plan, tracker_url, database_url, progress=_progress("已处理会话"))
    print("完成。")
    return 0


def cmd_bench_stats(args: argparse.Namespace) -> int:
    from bot.review.stats_bench import run

    return run(args.conversations, args.dir, repeats=args.repeats)


def cmd_bench(args: argparse.Namespace) -> int:
    from bot.review.bench import run

    return run(args.conversations, args.dir, repeats=args.repeats)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot review", description="对话复核")
    commands = parser.add_subparsers(dest="command", required=True)

    sync = commands.add_parser("sync", help="把会话存储里的新对话整理进复核表")
    sync.add_argument("--tracker-db", help="会话存储地址（默认：设置 TRACKER_STORE_URL）")
    sync.add_argument("--db", help="项目数据库地址（默认：设置 DATABASE_URL）")
    sync.set_defaults(func=cmd_sync)

    export = commands.add_parser("export", help="把人工标注导出为 NLU 训练数据、留出评测集和真实问题评测")
    export.add_argument("--out", help=f"输出目录（默认 {review_export.DEFAULT_OUT}）")
    export.add_argument(
        "--to-project", action="store_true", help="直接写到项目里：nlu_data/nlu/、tests/nlu/、knowledge/eval/"
    )
    export.add_argument("--db", help="项目数据库地址（默认：设置 DATABASE_URL）")
    export.set_defaults(func=review_export.main)

    seed = commands.add_parser("seed", help="生成模拟对话，写成 Rasa 会话存储的事件")
    seed.add_argument("--conversations", type=int, default=1000, help="对话数（1 至 1000000）")
    seed.add_argument("--db", required=True, help="会话存储地址，如 sqlite:///var/bench/trackers.db")
    seed.add_argument("--days", type=int, default=90, help="对话分布在最近多少天（默认 90）")
    seed.add_argument("--seed", type=int, default=19, help="随机种子（同一种子生成同样的对话）")
    seed.set_defaults(func=cmd_seed)

    stats = commands.add_parser(
        "stats", help="按日、渠道、海报活动、地区的会话与消息数，拒答、转人工、评价和没能回答的问题"
    )
    stats.add_argument(
        "--since", type=date.fromisoformat, help="第一天，如 2026-11-01（北京时间；默认结束日期前 29 天）"
    )
    stats.add_argument("--until", type=date.fromisoformat, help="最后一天（含；默认今天）")
    stats.add_argument("--csv", metavar="FILE", help="同时把数字写成 CSV 文件（UTF-8，Excel 可直接打开）")
    stats.add_argument("--tracker-db", help="会话存储地址（默认：设置 TRACKER_STORE_URL）")
    stats.add_argument("--db", help="项目数据库地址（默认：设置 DATABASE_URL）")
    stats.set_defaults(func=cmd_stats)

    purge = commands.add_parser("purge", help="删除（或匿名化）超过保存期限的会话")
    purge.add_argument("--days", type=_positive, help="保存天数（默认：设置 REVIEW_RETENTION_DAYS）")
    purge.add_argument(
        "--anonymise", action="store_true", help="不删除统计数字：去掉原文和会话标识，只删原始事件"
    )
    purge.add_argument("--dry-run", action="store_true", help="只列出会删除什么，不改动数据")
    purge.add_argument("--tracker-db", help="会话存储地址（默认：设置 TRACKER_STORE_URL）")
    purge.add_argument("--db", help="项目数据库地址（默认：设置 DATABASE_URL）")
    purge.set_defaults(func=cmd_purge)

    bench = commands.add_parser("bench", help="复核台列表与筛选的 p95 延迟、整理用时")
    bench.add_argument("--conversations", type=int, default=100_000)
    bench.add_argument("--dir", default="var/bench/review", help="存放生成数据的目录")
    bench.add_argument("--repeats", type=int, default=40, help="每种查询重复次数")
    bench.set_defaults(func=cmd_bench)

    bench_stats = commands.add_parser("bench-stats", help="统计页、统计命令和 purge 在大量对话上的用时")
    bench_stats.add_argument("--conversations", type=int, default=100_000)
    bench_stats.add_argument(
        "--dir", default="var/bench/review", help="已生成（或在此生成）的会话存储所在目录"
    )
    bench_stats.add_argument("--repeats", type=int, default=5, help="每项重复次数")
    bench_stats.set_defaults(func=cmd_bench_stats)
    return parser


def _positive(value: str) -> int:
    days = int(value)
    if days < 1:
        raise argparse.ArgumentTypeError("至少 1 天")
    return days


def main(argv: list[str]) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exit_:  # argparse has printed the usage or the error
        return int(exit_.code or 0)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
