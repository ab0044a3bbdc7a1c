"""Resident memory of a process group from /proc (Rasa and uvicorn run helpers of their own)."""

from __future__ import annotations

from pathlib import Path


def _group_members(leader: int) -> list[int]:
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # the fields after the command name (which may hold spaces) start at the last ")"
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == leader:  # process group id
            members.append(int(stat.parent.name))
    return members


def resident_mb(leader: int) -> float:
    """VmRSS summed over the process group whose leader is `leader`, in MB; 0 when it is gone."""
    total_kb = 0
    for pid in _group_members(leader):
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total_kb += int(line.split()[1])
    return total_kb / 1024
