"""Command line: `python -m bot <command>`. Run with no arguments for the list."""

from __future__ import annotations

import argparse
import importlib
import subprocess
import sys

from bot import rasa_model
from bot.settings import ROOT, get_settings


def cmd_train(args: argparse.Namespace) -> int:
    rasa_model.train(force=not args.if_needed)
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    """`rasa data validate --fail-on-warnings`, where a response sent by a form, a custom action or the
    default fallback need not appear in a story, and one the actions name must be in the domain
    (rasa_validation, run in the Rasa environment)."""
    argv = [str(rasa_model.RASA_PYTHON), "-m", "rasa_validation", *rasa_model.PROJECT_ARGS]
    return subprocess.run(argv, cwd=ROOT, env=rasa_model.rasa_env()).returncode


def cmd_test_stories(args: argparse.Namespace) -> int:
    """Conversation tests: `rasa test core --e2e` checks each user message's intent and entities
    (through the model's NLU) and every predicted action. Without --e2e Rasa trusts the stories'
    intent labels and only checks actions."""
    model = args.model or rasa_model.current_model() or rasa_model.train(force=False)
    argv = [
        str(rasa_model.RASA_BIN),
        "test",
        "core",
        "--e2e",
        "--stories",
        "tests/stories",
        "--model",
        str(model),
        "--out",
        "var/story-results",
        "--fail-on-prediction-errors",
    ]
    return subprocess.run(argv, cwd=ROOT, env=rasa_model.rasa_env()).returncode


def cmd_run(args: argparse.Namespace) -> int:
    from bot.stack import run_forever

    return run_forever(get_settings(), rasa_model.train(force=False))


def cmd_stop(args: argparse.Namespace) -> int:
    from bot.stack import stop_running

    return stop_running(get_settings())


def cmd_status(args: argparse.Namespace) -> int:
    from bot.stack import print_status

    return print_status(get_settings())


def cmd_lexicon(args: argparse.Namespace) -> int:
    from bot.entity_patterns import build_patterns, write_entity_patterns
    from bot.lexicon import write_jieba_dictionary

    patterns = build_patterns()
    path = write_jieba_dictionary(patterns)
    print(f"jieba 用户词典：{path.relative_to(ROOT)}")
    path = write_entity_patterns(patterns=patterns)
    print(f"实体模式（spaCy EntityRuler）：{path.relative_to(ROOT)}")
    return 0


# Command groups that own their own argument parsing.
DELEGATED = {
    "eval-nlu": "bot.nlu_eval",
    "calibration": "bot.calibration",
    "index": "retrieval.cli",
    "courses": "bot.courses.cli",
    "knowledge": "bot.knowledge.cli",
    "qr": "bot.qr.cli",
    "review": "bot.review.cli",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description="职业技能培训助手")
    commands = parser.add_subparsers(dest="command", required=True)
    train = commands.add_parser("train", help="训练 Rasa 模型")
    train.add_argument("--if-needed", action="store_true", help="训练数据未变时跳过")
    train.set_defaults(func=cmd_train)
    commands.add_parser("validate", help="检查训练数据、domain 和回复").set_defaults(func=cmd_validate)
    test_stories = commands.add_parser("test-stories", help="对话测试：tests/stories（含 NLU 检查）")
    test_stories.add_argument("--model", help="Rasa 模型（默认：与当前训练数据对应的模型）")
    test_stories.set_defaults(func=cmd_test_stories)
    commands.add_parser("run", help="启动动作服务、Rasa 和网关").set_defaults(func=cmd_run)
    commands.add_parser("stop", help="停止 run 启动的服务").set_defaults(func=cmd_stop)
    commands.add_parser("status", help="run 启动的各进程：pid、状态、运行时长、重启次数").set_defaults(
        func=cmd_status
    )
    commands.add_parser("lexicon", help="生成 jieba 用户词典和实体模式").set_defaults(func=cmd_lexicon)
    commands.add_parser("index", help="政策检索索引：index build")
    commands.add_parser("courses", help="课程目录：courses import FILE.csv [--replace]")
    commands.add_parser("knowledge", help="政策文件知识库：knowledge add|list|show|remove|check|set")
    commands.add_parser(
        "eval-nlu", help="NLU 评测：留出集准确率、F1、混淆；--cross-validation 另做 5 折交叉验证"
    )
    commands.add_parser(
        "calibration", help="意图置信度校准：ECE、可靠性表、回退率、错且自信率（留出集、新集、真实问题）"
    )
    commands.add_parser(
        "qr", help="海报二维码：qr make --region 地区 --role trainee --campaign 活动 --out poster.png"
    )
    commands.add_parser("review", help="对话复核：review sync|export|stats|purge|seed|bench")
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in DELEGATED:
        return importlib.import_module(DELEGATED[argv[0]]).main(argv[1:])
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
