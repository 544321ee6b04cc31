"""Command line: python -m fraudsim_analysis plot-cases RUN.h5 -o OUT.png"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .io import FraudsimFileError, open_run


def _plot_cases(args: argparse.Namespace) -> int:
    from .plots import plot_registered_cases  # matplotlib only when plotting

    out = Path(args.output) if args.output else Path(args.file).with_suffix(".cases.png")
    fig = plot_registered_cases(open_run(args.file))
    try:
        fig.savefig(out, dpi=args.dpi)
    except OSError as e:
        print(f"error: cannot write {out}: {e.strerror or e}", file=sys.stderr)
        return 1
    print(out)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fraudsim_analysis", description="Plots from fraudsim output.")
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("plot-cases", help="monthly registered cases with intervention starts")
    p.add_argument("file", help="fraudsim output file (.h5)")
    p.add_argument("-o", "--output", help="PNG to write (default: FILE with .cases.png)")
    p.add_argument("--dpi", type=int, default=150)
    p.set_defaults(run=_plot_cases)
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except FraudsimFileError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
