"""The machine a run measured on, and which monops it measured (for the JSON and the log)."""

from __future__ import annotations

import datetime as dt
import os
import platform
import subprocess
from pathlib import Path
from typing import Any

from benchmarks.timing.results import GiB


def machine(monops: list[str], source: str) -> dict[str, Any]:
    """CPU, cores, memory, Python, PyYAML (with libyaml?) and the monops measured."""
    import yaml

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count() or 0
    version = subprocess.run([*monops, "--version"], capture_output=True,
                             text=True).stdout.strip()
    return {"cpu": cpu, "cores": os.cpu_count(), "usable_cores": usable,
            "memory_gib": round(memory / GiB, 1), "python": platform.python_version(),
            "platform": platform.platform(), "pyyaml": yaml.__version__,
            "libyaml": bool(getattr(yaml, "__with_libyaml__", False)),
            "monops": version, "monops_source": source, "monops_command": monops,
            "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")}
