"""The `make run` supervisor with small stand-in children (a few lines of Python serving HTTP): a child
that exits is restarted with a doubling backoff while the others keep running, one that keeps exiting
is given up on, the state file and `python -m bot status` report it, and logs rotate by size."""

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest

import bot.stack
from bot.stack import FAILED, RUNNING, WAITING, Service, Stack, exit_reason, free_port, isolated_settings

# argv: port, crash marker, lines to print. Exits with 3 at start while the crash marker exists.
CHILD = """
import http.server, os, sys
port, crash, lines = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
for n in range(lines):
    print(f"line {n:05d} " + "x" * 80)
print(f"child on {port}", flush=True)
if os.path.exists(crash):
    print("boom: cannot start", flush=True)
    sys.exit(3)
class Ok(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.end_headers()
    def log_message(self, *args):
        pass
http.server.HTTPServer(("127.0.0.1", port), Ok).serve_forever()
"""


def child(tmp_path: Path, name: str, lines: int = 0) -> Service:
    port = free_port()
    argv = [sys.executable, "-c", CHILD, str(port), str(tmp_path / f"{name}.crash"), str(lines)]
    return Service(name, argv, f"http://127.0.0.1:{port}/", tmp_path / "log" / f"{name}.log")


@pytest.fixture
def make_stack(tmp_path, monkeypatch):
    """A Stack of stand-in children `a` and `b`, stopped after the test."""
    stacks = []

    def make(lines: int = 0, **overrides) -> Stack:
        monkeypatch.setattr(
            bot.stack, "services", lambda settings, model: [child(tmp_path, "a", lines), child(tmp_path, "b")]
        )
        settings = isolated_settings(tmp_path, **({"restart_backoff_seconds": 0.2} | overrides))
        stacks.append(Stack(settings, tmp_path / "model.tar.gz"))
        return stacks[-1]

    yield make
    for stack in stacks:
        stack.stop(grace_seconds=2)


def port(service: Service) -> int:
    return urlsplit(service.ready_url).port


def supervise_until(stack: Stack, done: Callable[[], bool], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not done():
        assert time.monotonic() < deadline, [(s.name, s.state) for s in stack.services]
        stack.supervise()
        time.sleep(0.05)


def test_a_child_that_exits_is_restarted_and_the_others_keep_running(make_stack, capsys):
    stack = make_stack()
    stack.start()
    a, b = stack.services
    old_a, old_b = a.process.pid, b.process.pid
    os.kill(old_a, signal.SIGKILL)

    supervise_until(stack, lambda: a.state == WAITING)
    supervise_until(stack, lambda: a.state == RUNNING)
    assert a.process.pid != old_a and a.restarts == 1 and a.last_exit == "信号 SIGKILL"
    assert b.process.pid == old_b and b.state == RUNNING and b.restarts == 0
    said = capsys.readouterr().err
    assert "a 意外退出（信号 SIGKILL），0.2 秒后重启" in said and f"child on {port(a)}" in said

    state = json.loads(stack.state_path.read_text(encoding="utf-8"))
    assert [(p["name"], p["pid"], p["state"], p["restarts"]) for p in state["processes"]] == [
        ("a", a.process.pid, RUNNING, 1),
        ("b", old_b, RUNNING, 0),
    ]


def test_a_child_that_keeps_exiting_is_given_up_with_a_doubling_backoff(make_stack, capsys, tmp_path):
    stack = make_stack(restart_backoff_seconds=0.05)
    stack.start()
    a, b = stack.services
    (tmp_path / "a.crash").touch()
    os.kill(a.process.pid, signal.SIGTERM)

    supervise_until(stack, lambda: a.state == FAILED)
    said = capsys.readouterr().err
    delays = [line.split("，")[1] for line in said.splitlines() if line.startswith("a 意外退出")]
    assert delays == ["0.05 秒后重启。", "0.1 秒后重启。", "0.2 秒后重启。", "0.4 秒后重启。"]
    assert (
        "a 在 120 秒内意外退出 5 次（最近一次：退出码 3），不再重启；其余进程继续服务，助手处于降级状态"
        in said
        and "boom: cannot start" in said
    )
    assert a.restarts == 4 and b.state == RUNNING
    stack.supervise()  # nothing more happens to a child given up on
    assert a.state == FAILED and a.restarts == 4
    state = json.loads(stack.state_path.read_text(encoding="utf-8"))
    assert state["processes"][0] | {"started_at": 0} == {
        "name": "a",
        "pid": None,
        "state": FAILED,
        "started_at": 0,
        "restarts": 4,
        "last_exit": "退出码 3",
        "log": str(a.log_path),
    }


def test_exits_outside_the_window_do_not_count(make_stack, tmp_path):
    stack = make_stack(restart_backoff_seconds=0.05, restart_limit=2, restart_window_seconds=0.5)
    stack.start()
    a = stack.services[0]
    for restarts in (1, 2):
        time.sleep(0.6)  # the previous exit has left the window
        os.kill(a.process.pid, signal.SIGKILL)
        supervise_until(stack, lambda n=restarts: a.state == RUNNING and a.restarts == n)


def test_a_child_that_never_gets_ready_again_is_restarted(make_stack):
    stack = make_stack(startup_timeout_seconds=3)
    stack.start()
    a = stack.services[0]
    a.ready_url = f"http://127.0.0.1:{free_port()}/"  # nothing will answer here
    os.kill(a.process.pid, signal.SIGKILL)
    supervise_until(stack, lambda: a.last_exit == "重启后未在限定时间内就绪", seconds=20)
    assert a.state == WAITING


def test_logs_rotate_by_size(make_stack):
    stack = make_stack(lines=200, log_max_bytes=4096, log_backup_count=2)
    stack.start()
    a = stack.services[0]
    supervise_until(stack, lambda: "child on" in (a.output[-1] if a.output else ""))
    logs = sorted(p.name for p in a.log_path.parent.glob("a.log*"))
    assert logs == ["a.log", "a.log.1", "a.log.2"]
    assert all(p.stat().st_size <= 4096 for p in a.log_path.parent.glob("a.log*"))
    assert a.log_path.read_text(encoding="utf-8").endswith(f"child on {port(a)}\n")


def test_stop_ends_every_child_and_removes_the_state_file(make_stack):
    stack = make_stack()
    stack.start()
    pids = [s.process.pid for s in stack.services]
    assert stack.state_path.exists()
    stack.stop(grace_seconds=2)
    assert not stack.state_path.exists()
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


@pytest.mark.parametrize(
    ("returncode", "reason"),
    [(0, "退出码 0"), (3, "退出码 3"), (-9, "信号 SIGKILL"), (-15, "信号 SIGTERM"), (-99, "信号 99")],
)
def test_exit_reasons(returncode, reason):
    assert exit_reason(returncode) == reason


def status(settings) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATA_DIR": str(settings.data_dir)}
    return subprocess.run(
        [sys.executable, "-m", "bot", "status"], env=env, capture_output=True, text=True, timeout=60
    )


def test_status_lists_each_process(make_stack, tmp_path):
    stack = make_stack()
    stack.start()
    stack.services[0].restarts, stack.services[0].state = 2, FAILED
    stack.services[0].last_exit = "退出码 3"
    stack.write_state()
    # The state file names its supervisor; status believes only a live `python -m bot run`.
    state = json.loads(stack.state_path.read_text(encoding="utf-8"))
    assert "没有正在运行的助手" in status(stack.settings).stdout
    lookalike = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)", "bot", "run"])
    try:
        stack.state_path.write_text(json.dumps(state | {"supervisor_pid": lookalike.pid}), encoding="utf-8")
        result = status(stack.settings)
    finally:
        lookalike.kill()
        lookalike.wait()
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["进程", "pid", "状态", "运行时长", "重启次数", "最近一次退出"]
    assert lines[1].split() == ["a", "-", "已放弃", "-", "2", "退出码", "3"]
    b = lines[2].split()
    assert (
        b[:3] == ["b", str(stack.services[1].process.pid), "运行中"]
        and b[3].endswith("秒")
        and b[4:] == ["0", "-"]
    )
    assert lines[-1] == "助手状态：降级（a 已放弃）"
