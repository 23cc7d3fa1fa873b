"""``diff`` against ``check`` on the same repository, side by side in one run (issue 14).

    python bench/diff.py               # 10k declarations in 1 and 100 files; 100k in 20 files
    python bench/diff.py --markdown    # the table for docs/performance.md

Each shape is a git repository whose main holds the generated organization; the working tree
then changes: a small pull request (one file: effects flipped, a metric added) or a rewrite
(every file regenerated with another seed). Time is the best of --repeat fresh processes; the
target is diff ≤ 2.2× check.
"""

from __future__ import annotations

import argparse
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402
from run import PY, Sample, run  # noqa: E402

SHAPES = (
    ("10k, 1 file, small change", 10_000, 1, "small"),
    ("10k, 100 files, small change", 10_000, 100, "small"),
    ("10k, 100 files, rewrite", 10_000, 100, "rewrite"),
    ("100k, 20 files, small change", 100_000, 20, "small"),
)


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def repository(root: Path, n: int, files: int, change: str) -> None:
    """main holds the organization; the working tree holds the change."""
    org = root / "org"
    org.mkdir(parents=True)
    for i, text in enumerate(generate(n, 7, files)):
        (org / f"part-{i:03d}.yaml").write_text(text, encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "-c", "user.email=b@e", "-c", "user.name=bench", "commit", "-q", "-m", "base")
    if change == "rewrite":
        for i, text in enumerate(generate(n, 8, files)):
            (org / f"part-{i:03d}.yaml").write_text(text, encoding="utf-8")
        return
    first = org / "part-000.yaml"
    text = first.read_text(encoding="utf-8").replace(": helps\n", ": hurts\n", 20)
    first.write_text(
        text + "  - id: new_metric\n    direction: increase\n    serves: [customer_0]\n",
        encoding="utf-8",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    rows: list[tuple[str, Sample, Sample]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for label, n, files, change in SHAPES:
            root = Path(tmp) / label.replace(" ", "").replace(",", "-")
            repository(root, n, files, change)
            here = f"cd {shlex.quote(str(root))} && {shlex.quote(PY)} -m align_audit"
            check = run(["sh", "-c", f"{here} check org -q"], args.repeat)
            diffed = run(["sh", "-c", f"{here} diff org --base main"], args.repeat)
            rows.append((label, check, diffed))
            print(
                f"{label:32} check {check.seconds:6.2f}s  diff {diffed.seconds:6.2f}s  "
                f"diff/check {diffed.seconds / check.seconds:4.2f}x  "
                f"peak {check.peak_mb:5.0f} / {diffed.peak_mb:5.0f} MB",
                file=sys.stderr,
            )
    if args.markdown:
        print("| repository | check | diff | diff / check | peak memory check / diff |")
        print("|---|---|---|---|---|")
        for label, check, diffed in rows:
            print(
                f"| {label} | {check.seconds:.2f} s | {diffed.seconds:.2f} s | "
                f"{diffed.seconds / check.seconds:.2f}× | "
                f"{check.peak_mb:.0f} / {diffed.peak_mb:.0f} MB |"
            )


if __name__ == "__main__":
    main()
