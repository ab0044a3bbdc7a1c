"""Starts, watches and stops the three processes of the assistant: action server, Rasa, gateway.

Each child runs in its own process group so that stopping the stack leaves no orphans
(Rasa and uvicorn spawn helpers of their own)."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from bot import rasa_model
from bot.settings import ROOT, Settings, local_rasa_urls


@dataclass
class Service:
    name: str
    argv: list[str]
    ready_url: str
    log_path: Path
    env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen | None = None


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
    )
    return [actions, *rasa, gateway]


class Stack:
    """The running assistant. Use as a context manager: stopped on exit, whatever happens."""

    def __init__(self, settings: Settings, model: Path):
        self.settings = settings
        self.services = services(settings, model)
        # Every child reads the same settings, whatever this process was given.
        self.settings_env = {name.upper(): str(value) for name, value in settings.model_dump().items()}

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
        for service in self.services:
            service.log_path.parent.mkdir(parents=True, exist_ok=True)
            env = {**os.environ, **self.settings_env, **service.env}
            log = service.log_path.open("ab")
            service.process = subprocess.Popen(
                service.argv,
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
            log.close()
            print(f"  启动 {service.name}（pid {service.process.pid}，日志 {service.log_path}）", flush=True)
        deadline = time.monotonic() + self.settings.startup_timeout_seconds
        for service in self.services:
            self._wait_ready(service, deadline)
            print(f"  {service.name} 已就绪", flush=True)

    def _wait_ready(self, service: Service, deadline: float) -> None:
        assert service.process is not None
        while time.monotonic() < deadline:
            if service.process.poll() is not None:
                raise StartupError(
                    f"{service.name} 启动失败（退出码 {service.process.returncode}）：\n{_tail(service.log_path)}"
                )
            try:
                if httpx.get(service.ready_url, timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise StartupError(f"{service.name} 在限定时间内未就绪：\n{_tail(service.log_path)}")

    def stop(self, grace_seconds: float = 15) -> None:
        """SIGTERM every process group, then SIGKILL what is still alive after the grace period."""
        running = [s.process for s in reversed(self.services) if s.process and s.process.poll() is None]
        for process in running:
            _signal_group(process, signal.SIGTERM)
        deadline = time.monotonic() + grace_seconds
        for process in running:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            _signal_group(process, signal.SIGKILL)
            process.wait()

    def alive(self) -> bool:
        return all(s.process and s.process.poll() is None for s in self.services)


def _signal_group(process: subprocess.Popen, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)


def _tail(path: Path, lines: int = 30) -> str:
    if not path.exists():
        return ""
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


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
                "按 Ctrl-C 或运行 make stop 停止。",
                flush=True,
            )
            while not stop_requested:
                if not stack.alive():
                    dead = [s.name for s in stack.services if s.process and s.process.poll() is not None]
                    print(f"进程意外退出：{', '.join(dead)}，正在停止全部服务。", file=sys.stderr)
                    return 1
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
