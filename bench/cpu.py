"""CPU time from /proc: of the web server's processes, and of the whole machine."""

from __future__ import annotations

import os
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str]:
    text = Path(f"/proc/{pid}/stat").read_text()
    return text[text.rindex(")") + 2 :].split()  # fields from the 3rd on; the name may hold spaces


def tree_cpu_seconds(master: int) -> float:
    """CPU of a master, its live children, and the children it already reaped (replaced workers)."""
    fields = _stat(master)
    total = sum(int(value) for value in fields[11:15])  # utime, stime, cutime, cstime
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    for child in children:
        try:
            total += sum(int(value) for value in _stat(int(child))[11:13])
        except FileNotFoundError:
            pass  # ended meanwhile: counted in the master's cutime once reaped
    return total / TICK


def machine_busy_seconds() -> tuple[float, float]:
    """(busy, all) CPU seconds of every core since boot."""
    values = [int(value) for value in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = values[3] + values[4]  # idle, iowait
    return (sum(values) - idle) / TICK, sum(values) / TICK
