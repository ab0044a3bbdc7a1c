"""Runs a script in the Rasa environment (.venv-rasa), where Rasa and the project's Rasa add-ons live."""

import json
import subprocess
from typing import Any

from bot import rasa_model
from bot.settings import ROOT


def run_in_rasa(script: str, *args: str, stdin: Any = None) -> Any:
    """The JSON the script prints last; `stdin` is sent to it as JSON."""
    run = subprocess.run(
        [str(rasa_model.RASA_PYTHON), "-c", script, *args],
        input=None if stdin is None else json.dumps(stdin, ensure_ascii=False),
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=rasa_model.rasa_env(),
        timeout=300,
        check=True,
    )
    return json.loads(run.stdout.strip().splitlines()[-1])
