"""Where the machine's CPU time goes during a phase (Linux /proc): gunicorn (master and
workers), PostgreSQL (the backends of the load test's database), the load-test client itself,
and everything else on the machine. The client shares the two cores with the server, and other
programs may be running too: these figures say how far the latencies measure the portal."""

import os
import time
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")
PROC = Path("/proc")


def machine_busy():
    """CPU seconds the whole machine has spent busy since boot."""
    values = [int(v) for v in (PROC / "stat").read_text().split("\n", 1)[0].split()[1:9]]
    user, nice, system, idle, iowait, irq, softirq, steal = values
    return (user + nice + system + irq + softirq + steal) / TICK


def _stat(pid):
    """The fields after the command name of /proc/<pid>/stat, or None once it has gone."""
    try:
        return (PROC / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return None


def process_seconds(pid):
    fields = _stat(pid)
    return (int(fields[11]) + int(fields[12])) / TICK if fields else 0.0


def _pids():
    return [int(entry.name) for entry in PROC.iterdir() if entry.name.isdigit()]


def server_seconds(pid):
    """gunicorn's master and its workers."""
    workers = [child for child in _pids() if (_stat(child) or [None, None])[1] == str(pid)]
    return process_seconds(pid) + sum(process_seconds(worker) for worker in workers)


def database_seconds(name):
    """The PostgreSQL backends connected to database `name` (their command line names it)."""
    total = 0.0
    for pid in _pids():
        try:
            command = (PROC / str(pid) / "cmdline").read_bytes()
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
        if command.startswith(b"postgres:") and f" {name} ".encode() in command:
            total += process_seconds(pid)
    return total


def snapshot(server_pid, database):
    return {
        "machine": machine_busy(),
        "gunicorn": server_seconds(server_pid),
        "PostgreSQL": database_seconds(database),
        "load-test client": process_seconds(os.getpid()),
    }


def spent(before, after, elapsed):
    """{part: CPU seconds} between two snapshots, with "other programs" and "idle"."""
    used = {part: after[part] - before[part] for part in before}
    busy = used.pop("machine")
    used["other programs"] = max(0.0, busy - sum(used.values()))
    used["idle"] = max(0.0, elapsed * os.cpu_count() - busy)
    return used


def others_share(used, elapsed):
    """The share of the machine's CPU that other programs took."""
    return used["other programs"] / (elapsed * os.cpu_count())


def busy_share(seconds=3.0):
    """The share of the machine's CPU in use over the next few seconds (before the run)."""
    before = machine_busy()
    time.sleep(seconds)
    return (machine_busy() - before) / (seconds * os.cpu_count())
