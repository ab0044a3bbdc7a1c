"""The policy answer layer on the development set: `python -m bot.answers.evaluate [--sweep]`.

The questions are knowledge/eval/retrieval.yml's (written by the project, used to tune; the real
questions of eval_real.py are never tuned on). For each question the decision is taken as the chat takes
it, with the asker at the place the question names, else at the question's region, and counted:

- right: answered (or quoted as partial) citing an expected passage;
- wrong: citing any other passage;
- declined: no clause cited (not covered, asked for the place);
- out of the asker's scope: the expected passage's document does not cover the asker (a 宁夏 asker and
  彭阳县's catalogue): these must not be cited, and count as right when they are not.

Off-topic questions (out_of_scope) must be declined. --sweep repeats it for several MIN_SUPPORT values.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import Counter

from bot.answers.policy import MIN_SUPPORT, Question, decide_policy
from bot.answers.scope import asker_place, covers
from bot.settings import get_settings
from retrieval.evaluate import eval_path, load_eval_set
from retrieval.search import get_retriever

SWEEP = (0.0, 0.3, 0.4, 0.5, 0.6, 0.7)


def evaluate(min_support: float) -> tuple[Counter[str], list[float]]:
    """The counts, and the time of each decision in milliseconds."""
    retriever = get_retriever()
    eval_set = load_eval_set(eval_path(get_settings()))
    counts: Counter[str] = Counter()
    times: list[float] = []
    for q in eval_set.questions:
        # As in the chat: a place the question names (the NLU's region entity) before the asker's own.
        place = asker_place(q.query, q.region)
        start = time.perf_counter()
        decision = decide_policy(Question(q.query, place), retriever, min_support=min_support)
        times.append((time.perf_counter() - start) * 1000)
        cited = {c["passage_id"] for c in decision.citations}
        expected_docs = {pid.split(":", 1)[0] for pid in q.expect}
        in_scope = place is None or any(covers(retriever.documents[d], place) for d in expected_docs)
        if not in_scope:
            counts["scoped_out_right" if not cited & set(q.expect) else "scoped_out_cited"] += 1
        elif cited & set(q.expect):
            counts["right"] += 1
        elif cited:
            counts["wrong"] += 1
        else:
            counts[f"declined:{decision.kind}"] += 1
    for text in eval_set.out_of_scope:
        decision = decide_policy(Question(text, None), retriever, min_support=min_support)
        counts["off_topic_declined" if not decision.citations else "off_topic_cited"] += 1
    return counts, times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot.answers.evaluate", description="政策回答层开发集评测"
    )
    parser.add_argument("--sweep", action="store_true", help="比较多个 MIN_SUPPORT 取值")
    args = parser.parse_args(argv)
    for value in SWEEP if args.sweep else (MIN_SUPPORT,):
        counts, times = evaluate(value)
        answered = counts["right"] + counts["wrong"]
        print(f"MIN_SUPPORT={value:.1f}  right {counts['right']}  wrong {counts['wrong']}  "
              f"(wrong share of cited {counts['wrong'] / answered if answered else 0:.1%})  "
              f"declined {sum(v for k, v in counts.items() if k.startswith('declined'))}  "
              f"scoped out {counts['scoped_out_right']}/{counts['scoped_out_right'] + counts['scoped_out_cited']} kept out  "
              f"off-topic declined {counts['off_topic_declined']}/{counts['off_topic_declined'] + counts['off_topic_cited']}")  # fmt: skip
        print("   ", dict(sorted(counts.items())))
        p95 = statistics.quantiles(times, n=20)[-1]
        print(
            f"    decision time p50 {statistics.median(times):.0f} ms  p95 {p95:.0f} ms (in-scope questions)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
