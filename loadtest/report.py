"""The figures of one phase: requests per second, and per kind of request its count, p50, p95
and p99 latency in milliseconds and its errors."""

import statistics
from collections import Counter, defaultdict

KINDS = [
    "GET login",
    "POST login",
    "GET home",
    "GET self",
    "POST save",
    "POST submit",
    "POST logout",
    "GET login (guesser)",
    "POST guess",
]


def percentiles(seconds):
    """(p50, p95, p99) in milliseconds."""
    if len(seconds) == 1:
        return (seconds[0] * 1000,) * 3
    cuts = statistics.quantiles(seconds, n=100, method="inclusive")
    return cuts[49] * 1000, cuts[94] * 1000, cuts[98] * 1000


def by_kind(rows, phase):
    """{kind: ([seconds], Counter of error outcomes)} of one phase."""
    kinds = defaultdict(lambda: ([], Counter()))
    for row_phase, kind, seconds, outcome, _end in rows:
        if row_phase != phase:
            continue
        kinds[kind][0].append(seconds)
        if outcome != "ok":
            kinds[kind][1][outcome] += 1
    return kinds


def table(kinds):
    lines = [f"  {'kind':<21}{'count':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}"]
    for kind in sorted(kinds, key=lambda k: KINDS.index(k) if k in KINDS else len(KINDS)):
        seconds, errors = kinds[kind]
        p50, p95, p99 = percentiles(seconds)
        total = sum(errors.values())
        lines.append(f"  {kind:<21}{len(seconds):>7}{p50:>9.0f}{p95:>9.0f}{p99:>9.0f}{total:>8}")
    for kind, (_seconds, errors) in kinds.items():
        for outcome, count in errors.most_common():
            lines.append(f"    error: {kind}: {outcome} × {count}")
    return lines


def phase_summary(title, kinds, elapsed):
    """The phase's lines: totals, requests per second (all, and the users' alone), the table."""
    total = sum(len(seconds) for seconds, _errors in kinds.values())
    guesses = sum(len(kinds[k][0]) for k in kinds if "guess" in k)
    errors = sum(sum(e.values()) for _s, e in kinds.values())
    lines = [
        f"{title}: {elapsed:.1f} s, {total} requests, {total / elapsed:.1f} requests/s "
        f"(users {(total - guesses) / elapsed:.1f}/s, guessers {guesses / elapsed:.1f}/s), "
        f"{errors} errors"
    ]
    return lines + table(kinds)


def save_p95(kinds):
    seconds = kinds.get("POST save", ([], None))[0]
    return percentiles(seconds)[1] if seconds else float("nan")


def p50_between(rows, phase, kind, start, end):
    """Median latency in ms of one kind of request that ended between start and end (s)."""
    seconds = [r[2] for r in rows if r[0] == phase and r[1] == kind and start <= r[4] < end]
    return statistics.median(seconds) * 1000 if seconds else float("nan")
