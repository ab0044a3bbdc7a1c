"""Command line for the retrieval index: build, ensure, status, search.

python -m retrieval.cli build
python -m retrieval.cli search "叉车证能补多少钱" --region 彭阳 --top-k 3
"""

from __future__ import annotations

import argparse
import json

from retrieval import index


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m retrieval.cli", description="Policy retrieval index")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("build", help="build the index and its manifest from knowledge/")
    commands.add_parser("ensure", help="rebuild only when the index is missing, stale or for another model")
    commands.add_parser("status", help="print missing / mismatch / stale / ok and the manifest")
    search = commands.add_parser("search", help="run one query and print the passages as JSON")
    search.add_argument("query")
    search.add_argument("--region")
    search.add_argument("--top-k", type=int, default=5)
    search.add_argument("--mode", choices=("hybrid", "bm25", "dense"), default="hybrid")
    args = parser.parse_args(argv)

    if args.command == "build":
        index.build()
    elif args.command == "ensure":
        index.ensure_built()
    elif args.command == "status":
        from bot.settings import get_settings

        print(index.status())
        print(json.dumps(index.read_manifest(get_settings().index_dir), ensure_ascii=False, indent=2))
    elif args.command == "search":
        from retrieval.search import get_retriever

        result = get_retriever().search(args.query, top_k=args.top_k, region=args.region, mode=args.mode)
        output = {
            "answerable": result.answerable,
            "confidence": round(result.confidence, 4),
            "coverage": round(result.coverage, 3),
            "region": result.region,
            "passages": [
                p.citation() | {"passage_id": p.passage_id, "summary": p.summary} for p in result.passages
            ],
        }
        print(json.dumps(output, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
