"""Starts, watches and stops the processes of the assistant: the action server, the Rasa processes
and the gateway.

Each child runs in its own process group, so that stopping it leaves no orphans (Rasa and uvicorn spawn
helpers of their own), and writes through a pipe to its log in data_dir/log/, rotated by size. Under
`make run` (run_forever) a child that exits unexpectedly is restarted after a backoff while the others
keep running; one that keeps exiting is given up on and the assistant runs degraded. The supervisor
writes its view of the children to data_dir/stack.json for `python -m bot status`."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import unicodedata
from collections import deque
from dataclasses import dataclass, field
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit

import httpx

from bot import rasa_model
from bot.settings import ROOT, Settings, local_rasa_urls

# A child's lifecycle under the supervisor, and how `python -m bot status` names each state.
STARTING, RUNNING, WAITING, FAILED, STOPPED = "starting", "running", "waiting", "failed", "stopped"
STATE_LABELS = {
    STARTING: "启动中",
    RUNNING: "运行中",
    WAITING: "等待重启",
    FAILED: "已放弃",
    STOPPED: "已停止",
}
TAIL_LINES = 10  # lines of a child's output kept to explain why it exited


@dataclass
class Service:
    name: str
    argv: list[str]
    ready_url: str
    log_path: Path
    env: dict[str, str] = field(default_factory=dict)
    # Statuses of ready_url that mean the child answers (the gateway's /health is 503 while Rasa is down)
    ready_statuses: tuple[int, ...] = (200,)
    process: subprocess.Popen | None = None
    state: str = STOPPED
    started_at: float = 0.0  # wall-clock start of the current process
    ready_by: float = 0.0  # monotonic deadline for readiness while starting
    restart_at: float = 0.0  # monotonic time of the next start while waiting
    restarts: int = 0
    exits: deque[float] = field(default_factory=deque)  # monotonic times of unexpected exits in the window
    last_exit: str = ""
    output: deque[str] = field(default_factory=lambda: deque(maxlen=TAIL_LINES))
    pump: threading.Thread | None = None


class StartupError(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def free_port_run(count: int) -> int:
    """The first of `count` consecutive free loopback ports (for the local Rasa processes)."""
    while True:
        first = free_port()
        try:
            with contextlib.ExitStack() as held:
                for port in range(first, first + count):
                    sock = held.enter_context(socket.socket())
                    sock.bind(("127.0.0.1", port))
            return first
        except OSError:
            continue


def isolated_settings(data_dir: Path, **overrides: object) -> Settings:
    """Settings for a stack of its own (tests, benchmarks): free loopback ports, all state under data_dir."""
    gateway_port = free_port()
    defaults: dict[str, object] = {
        "gateway_port": gateway_port,
        "action_server_url": f"http://127.0.0.1:{free_port()}",
        "data_dir": data_dir,
        "database_url": f"sqlite:///{data_dir / 'assistant.db'}",
        "tracker_store_url": f"sqlite:///{data_dir / 'trackers.db'}",
        "public_base_url": f"http://127.0.0.1:{gateway_port}",
    }
    settings = Settings(**(defaults | overrides))
    if "rasa_url" in overrides:
        return settings
    return settings.model_copy(
        update={"rasa_url": f"http://127.0.0.1:{free_port_run(settings.rasa_processes)}"}
    )


def _port(url: str) -> str:
    return str(urlsplit(url).port)


def services(settings: Settings, model: Path) -> list[Service]:
    """The processes, in start order, configured from one settings object: the action server,
    the Rasa processes (rasa-1, rasa-2 …) and the gateway."""
    venv_python = str(ROOT / ".venv" / "bin" / "python")
    gateway_url = f"http://{settings.gateway_host}:{settings.gateway_port}"
    log_dir = settings.data_dir / "log"
    rasa_env = rasa_model.rasa_env()
    rasa_env.update(
        ACTION_ENDPOINT_URL=f"{settings.action_server_url}/webhook",
        TRACKER_STORE_URL=settings.tracker_store_url,
        # One TensorFlow thread per Rasa process: the processes, one per core, share the cores.
        TF_INTER_OP_PARALLELISM_THREADS="1",
        TF_INTRA_OP_PARALLELISM_THREADS="1",
    )
    actions = Service(
        "actions",
        [venv_python, "-m", "rasa_sdk", "--actions", "actions", "--port", _port(settings.action_server_url)],
        f"{settings.action_server_url}/health",
        log_dir / "actions.log",
    )
    rasa = [
        Service(
            f"rasa-{n}",
            [
                str(rasa_model.RASA_PYTHON),
                "-m",
                "rasa_server",
                "run",
                "--enable-api",
                "--model",
                str(model),
                "--interface",
                urlsplit(url).hostname or "127.0.0.1",
                "--port",
                _port(url),
                "--endpoints",
                "endpoints.yml",
                "--credentials",
                "credentials.yml",
            ],
            f"{url}/status",
            log_dir / f"rasa-{n}.log",
            rasa_env,
        )
        for n, url in enumerate(local_rasa_urls(settings), start=1)
    ]
    gateway = Service(
        "gateway",
        [
            venv_python,
            "-m",
            "uvicorn",
            "bot.gateway.app:create_app",
            "--factory",
            "--host",
            settings.gateway_host,
            "--port",
            str(settings.gateway_port),
        ],
        f"{gateway_url}/health",
        log_dir / "gateway.log",
        ready_statuses=(200, 503),
    )
    return [actions, *rasa, gateway]


class Stack:
    """The running assistant. Use as a context manager: stopped on exit, whatever happens.
    `supervise()`, called periodically, restarts children that exited (run_forever does)."""

    def __init__(self, settings: Settings, model: Path):
        self.settings = settings
        self.services = services(settings, model)
        # Every child reads the same settings, whatever this process was given.
        self.settings_env = {name.upper(): str(value) for name, value in settings.model_dump().items()}
        self.state_path = state_path(settings)
        self._logs: dict[str, RotatingFileHandler] = {}

    def __enter__(self) -> Stack:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        """Start every child and wait until all answer; any failure here stops the start."""
        for service in self.services:
            self._spawn(service)
        deadline = time.monotonic() + self.settings.startup_timeout_seconds
        for service in self.services:
            self._wait_ready(service, deadline)
            service.state = RUNNING
            print(f"  {service.name} 已就绪", flush=True)
        self.write_state()

    def _spawn(self, service: Service) -> None:
        env = {**os.environ, **self.settings_env, **service.env, "PYTHONUNBUFFERED": "1"}
        service.process = subprocess.Popen(
            service.argv,
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        service.state = STARTING
        service.output.clear()
        service.started_at = time.time()
        service.ready_by = time.monotonic() + self.settings.startup_timeout_seconds
        assert service.process.stdout is not None
        service.pump = threading.Thread(
            target=self._pump, args=(service, service.process.stdout), name=f"log-{service.name}", daemon=True
        )
        service.pump.start()
        print(f"  启动 {service.name}（pid {service.process.pid}，日志 {service.log_path}）", flush=True)

    def _log(self, service: Service) -> RotatingFileHandler:
        if service.name not in self._logs:
            service.log_path.parent.mkdir(parents=True, exist_ok=True)
            handler = RotatingFileHandler(
                service.log_path,
                maxBytes=self.settings.log_max_bytes,
                backupCount=self.settings.log_backup_count,
                encoding="utf-8",
            )
            handler.setFormatter(logging.Formatter("%(message)s"))
            self._logs[service.name] = handler
        return self._logs[service.name]

    def _pump(self, service: Service, stream: IO[bytes]) -> None:
        """Copies the child's output, line by line, to its rotating log and its recent lines."""
        log = self._log(service)
        with stream:
            for raw in stream:
                line = raw.decode(errors="replace").rstrip("\r\n")
                log.handle(logging.makeLogRecord({"msg": line}))
                service.output.append(line)

    def _wait_ready(self, service: Service, deadline: float) -> None:
        assert service.process is not None
        while time.monotonic() < deadline:
            if service.process.poll() is not None:
                raise StartupError(
                    f"{service.name} 启动失败（{exit_reason(service.process.returncode)}）：\n{_tail(service)}"
                )
            if self._ready(service):
                return
            time.sleep(0.5)
        raise StartupError(f"{service.name} 在限定时间内未就绪：\n{_tail(service)}")

    @staticmethod
    def _ready(service: Service) -> bool:
        try:
            return httpx.get(service.ready_url, timeout=2).status_code in service.ready_statuses
        except httpx.HTTPError:
            return False

    def supervise(self) -> None:
        """One round of supervision: notice children that exited or never got ready, start those whose
        backoff is over, and notice restarted ones answering."""
        changed = False
        for service in self.services:
            now = time.monotonic()
            assert service.process is not None
            if service.state in (STARTING, RUNNING) and service.process.poll() is not None:
                self._exited(service, now, exit_reason(service.process.returncode))
            elif service.state == STARTING and self._ready(service):
                service.state = RUNNING
                print(
                    f"{service.name} 已恢复（pid {service.process.pid}，第 {service.restarts} 次重启）。",
                    flush=True,
                )
            elif service.state == STARTING and now > service.ready_by:
                self._exited(service, now, "重启后未在限定时间内就绪")
            elif service.state == WAITING and now >= service.restart_at:
                service.restarts += 1
                self._spawn(service)
            else:
                continue
            changed = True
        if changed:
            self.write_state()

    def _exited(self, service: Service, now: float, reason: str) -> None:
        """A child exited (or is stuck starting): end its process group, then restart it after a
        backoff, or give up on it when it has exited restart_limit times within the window."""
        assert service.process is not None
        _signal_group(service.process, signal.SIGKILL)
        service.process.wait()
        service.last_exit = reason
        service.exits.append(now)
        while service.exits[0] < now - self.settings.restart_window_seconds:
            service.exits.popleft()
        tail = f"日志最后几行（{service.log_path}）：\n{_tail(service)}"
        if len(service.exits) >= self.settings.restart_limit:
            service.state = FAILED
            impact = "助手不再对外服务" if service.name == "gateway" else "其余进程继续服务，助手处于降级状态"
            print(
                f"{service.name} 在 {self.settings.restart_window_seconds:g} 秒内意外退出 {len(service.exits)} 次"
                f"（最近一次：{reason}），不再重启；{impact}。\n{tail}\n排除原因后运行 make stop 和 make run。",
                file=sys.stderr,
                flush=True,
            )
            return
        backoff = self.settings.restart_backoff_seconds * 2 ** (len(service.exits) - 1)
        delay = min(self.settings.restart_backoff_max_seconds, backoff)
        service.state = WAITING
        service.restart_at = now + delay
        print(
            f"{service.name} 意外退出（{reason}），{delay:g} 秒后重启。\n{tail}", file=sys.stderr, flush=True
        )

    def write_state(self) -> None:
        """The supervisor's view of its children, for `python -m bot status` (replaced atomically)."""
        processes = [
            {
                "name": s.name,
                "pid": s.process.pid if s.process and s.state in (STARTING, RUNNING) else None,
                "state": s.state,
                "started_at": s.started_at,
                "restarts": s.restarts,
                "last_exit": s.last_exit,
                "log": str(s.log_path),
            }
            for s in self.services
        ]
        state = {"supervisor_pid": os.getpid(), "updated_at": time.time(), "processes": processes}
        self.state_path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.state_path.with_suffix(".tmp")
        partial.write_text(json.dumps(state, ensure_ascii=False, indent=2), encoding="utf-8")
        partial.replace(self.state_path)

    def stop(self, grace_seconds: float = 15) -> None:
        """SIGTERM every process group, then SIGKILL what is still alive after the grace period."""
        # Every child not yet reaped, alive or not: helpers it spawned may still run in its group.
        running = [s.process for s in reversed(self.services) if s.process and s.process.returncode is None]
        for process in running:
            _signal_group(process, signal.SIGTERM)
        deadline = time.monotonic() + grace_seconds
        for process in running:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            _signal_group(process, signal.SIGKILL)
            process.wait()
        for service in self.services:
            service.state = STOPPED
            if service.pump:
                service.pump.join(timeout=2)
        for handler in self._logs.values():
            handler.close()
        self.state_path.unlink(missing_ok=True)


def exit_reason(returncode: int) -> str:
    if returncode >= 0:
        return f"退出码 {returncode}"
    try:
        return f"信号 {signal.Signals(-returncode).name}"
    except ValueError:
        return f"信号 {-returncode}"


def _signal_group(process: subprocess.Popen, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)


def _tail(service: Service) -> str:
    """The child's last lines of output (all of them once it has exited and its pipe is drained)."""
    if service.pump and service.process and service.process.poll() is not None:
        service.pump.join(timeout=2)
    return "\n".join(service.output)


def state_path(settings: Settings) -> Path:
    return settings.data_dir / "stack.json"


def _pid_file(settings: Settings) -> Path:
    return settings.data_dir / "run.pid"


def run_forever(settings: Settings, model: Path) -> int:
    """`make run`: start everything, print the addresses, and stop cleanly on Ctrl-C or `make stop`."""
    stop_requested = False
    starting = True

    def request_stop(signum: int, frame: object) -> None:
        nonlocal stop_requested
        stop_requested = True
        if starting:  # interrupt the wait for readiness; the Stack stops what it has started
            raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    pid_file = _pid_file(settings)
    pid_file.parent.mkdir(parents=True, exist_ok=True)
    pid_file.write_text(str(os.getpid()))
    try:
        with Stack(settings, model) as stack:
            starting = False
            base = f"http://{settings.gateway_host}:{settings.gateway_port}"
            print(f"\n助手已启动：\n  网关      {base}\n  接口文档  {base}/docs\n  健康检查  {base}/health")
            print(
                f"  Rasa      {'、'.join(local_rasa_urls(settings))}\n  动作服务  {settings.action_server_url}\n"
                "进程意外退出时会自动重启；运行 python -m bot status 查看各进程状态。\n按 Ctrl-C 或运行 make stop 停止。",
                flush=True,
            )
            while not stop_requested:
                stack.supervise()
                time.sleep(0.5)
            print("正在停止…", flush=True)
    except StartupError as error:
        print(error, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("启动已中止，已停止全部服务。")
        return 130
    finally:
        pid_file.unlink(missing_ok=True)
    print("已停止。")
    return 0


def stop_running(settings: Settings) -> int:
    """`make stop`: signal the `make run` supervisor, which stops its children."""
    pid_file = _pid_file(settings)
    if not pid_file.exists():
        print("没有正在运行的助手。")
        return 0
    pid = int(pid_file.read_text())
    if not _is_supervisor(pid):  # a stale file from a crash; the pid may belong to another program now
        pid_file.unlink(missing_ok=True)
        print("没有正在运行的助手。")
        return 0
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        pid_file.unlink(missing_ok=True)
        print("没有正在运行的助手。")
        return 0
    for _ in range(60):
        time.sleep(0.5)
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            print("已停止。")
            return 0
    print(f"进程 {pid} 仍在运行。", file=sys.stderr)
    return 1


def _is_supervisor(pid: int) -> bool:
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return b"bot" in argv and b"run" in argv


def print_status(settings: Settings) -> int:
    """`python -m bot status`: each process of the running assistant with its pid, state, uptime and
    restarts. Exit code 0 when all run, 1 when the assistant is degraded, 3 when it is not running."""
    try:
        state = json.loads(state_path(settings).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        state = None
    if not state or not _is_supervisor(state["supervisor_pid"]):
        print("没有正在运行的助手。")
        return 3
    now = time.time()
    rows = [("进程", "pid", "状态", "运行时长", "重启次数", "最近一次退出")]
    for p in state["processes"]:
        uptime = _duration(now - p["started_at"]) if p["state"] == RUNNING else "-"
        rows.append(
            (
                p["name"],
                str(p["pid"] or "-"),
                STATE_LABELS[p["state"]],
                uptime,
                str(p["restarts"]),
                p["last_exit"] or "-",
            )
        )
    widths = [max(_width(row[n]) for row in rows) for n in range(len(rows[0]))]
    for row in rows:
        print(
            "  ".join(
                cell + " " * (width - _width(cell)) for cell, width in zip(row, widths, strict=True)
            ).rstrip()
        )
    problems = [
        f"{p['name']} {STATE_LABELS[p['state']]}" for p in state["processes"] if p["state"] != RUNNING
    ]
    print(f"\n助手状态：降级（{'，'.join(problems)}）" if problems else "\n助手状态：正常")
    return 1 if problems else 0


def _duration(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours}时{minutes:02d}分"
    return f"{minutes}分{secs:02d}秒" if minutes else f"{secs}秒"


def _width(text: str) -> int:
    """Columns a string takes in a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)
