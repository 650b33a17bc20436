"""The command lines run in this process, through each one's ``main(argv)``, as a terminal would run them.

Starting a Python process costs seconds; calling ``main`` costs nothing, and tests the same code: the same
argument parsing, the same sentences on standard output and standard error, the same exit code (argparse's
and ``--help``'s SystemExit included). Each run starts as a new process would: the ``DASHBOARD_*`` settings
of the test run are cleared and only those given apply, the working folder is the one given, standard input
holds what the person types, and the areas in use are the shipped ones again afterwards (an imported area
list changes them for the process). One test per entry point still starts the real ``python -m`` process.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

from reference.areas import use_directory

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Ran:
    """What a command line did, read as ``subprocess.run(..., text=True)`` reads it."""

    returncode: int
    stdout: str
    stderr: str


def _main(module: str) -> Callable[[Sequence[str] | None], int]:
    if module == "loaders":
        from loaders.cli import main  # loaders/__main__.py exits on import: its main lives here
    elif module == "metrics":
        from metrics.__main__ import main
    elif module == "reports":
        from reports.__main__ import main
    elif module == "access":
        from access.__main__ import main
    else:
        raise ValueError(f"no command line {module!r}")
    return main


def _stream() -> io.TextIOWrapper:
    """A text stream with a byte buffer beneath it, like a process's standard output."""
    return io.TextIOWrapper(io.BytesIO(), encoding="utf-8", write_through=True)


def _text(stream: io.TextIOWrapper) -> str:
    stream.flush()
    raw = stream.buffer.getvalue().decode("utf-8")  # type: ignore[attr-defined]
    return raw.replace("\r\n", "\n").replace("\r", "\n")  # universal newlines, as text=True reads a pipe


def _exit_code(code: object, stderr: io.TextIOWrapper) -> int:
    """SystemExit's code as the process would exit with it."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=stderr)
    return 1


@contextmanager
def _as_a_new_process(env: dict[str, str] | None, cwd: Path | None, stdin: str) -> Iterator[None]:
    saved_environment, saved_folder, saved_stdin = dict(os.environ), os.getcwd(), sys.stdin
    try:
        for key in [k for k in os.environ if k.startswith("DASHBOARD_")]:
            del os.environ[key]
        os.environ.update(env or {})
        os.chdir(cwd or ROOT)
        sys.stdin = io.StringIO(stdin)
        yield
    finally:
        sys.stdin = saved_stdin
        os.chdir(saved_folder)
        os.environ.clear()
        os.environ.update(saved_environment)
        use_directory(None)


def run_main(module: str, *args: str, env: dict[str, str] | None = None, cwd: Path | None = None,
             stdin: str = "") -> Ran:
    """``python -m <module> <args>`` run in this process."""
    main = _main(module)
    out, err = _stream(), _stream()
    with _as_a_new_process(env, cwd, stdin), redirect_stdout(out), redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as done:
            code = _exit_code(done.code, err)
    return Ran(code, _text(out), _text(err))
