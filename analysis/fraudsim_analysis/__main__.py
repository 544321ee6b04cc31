"""Command line: python -m fraudsim_analysis (or fraudsim-analysis) report | compare | effects | morris |
sobol | noise | history-match | attribute | predict | coverage | csv | transactions | plot-cases | plot-fit.

Errors the user can cause (a missing, foreign or damaged file, a bad targets
file, bad arguments) print one line on stderr and exit with 2; a failure to
write the output exits with 1.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import missing_message, missing_packages

class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, not the usage block
        self.exit(2, f"error: {message} (see {self.prog} --help)\n")


def _report(args: argparse.Namespace) -> int:
    from .report import write_report

    out = Path(args.output)
    if out.suffix != ".html" and out.exists() and not out.is_dir():
        raise ValueError(f"{out} exists and is not a folder (name a file ending .html, or a folder)")
    target = out.parent if out.suffix == ".html" else out
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise ValueError(f"cannot make the folder {target}: {e.strerror or e}") from None
    print(write_report(args.file, out, targets=args.targets, dpi=args.dpi))
    return 0


def _compare(args: argparse.Namespace) -> int:
    import pandas as pd

    from .compare import compare_posterior, compare_run
    from .io import open_file

    data = open_file(args.file)
    if data.kind == "run":
        if not args.targets:
            raise ValueError("comparing a run needs --targets FILE")
        table = compare_run(data, args.targets)
    elif data.kind == "calibration":
        table = compare_posterior(data)
    else:
        raise ValueError(f"{args.file} is a sweep file: compare takes a run or a calibration")
    from .report import format_number

    if args.csv:
        table.to_csv(args.csv, index=False)
    shown = table.drop(columns=["source"]).dropna(axis=1, how="all")
    with pd.option_context("display.width", 250, "display.max_columns", None):
        print(shown.to_string(index=False, na_rep="", formatters={c: format_number for c in shown.columns}))
    return 0


def _effects(args: argparse.Namespace) -> int:
    import pandas as pd

    from .paired import effects, with_percentages
    from .io import open_sweep
    from .report import format_number

    table = effects(open_sweep(args.file), args.series, start=args.start, end=args.end, baseline=args.baseline)
    if args.csv:
        table.to_csv(args.csv, index=False)
    units = table.attrs["units"]
    print(f"{args.series} ({units}, {'value at the window end' if table.attrs['kind'] == 'stock' else 'sum over the window'}): "
          f"each variant against {table.attrs['baseline']}; {table.attrs['interval']}")
    shown = with_percentages(table).drop(columns=["window_source"])
    with pd.option_context("display.width", 250, "display.max_columns", None):
        print(shown.to_string(index=False, na_rep="", formatters={c: format_number for c in shown.columns}))
    return 0


def _sensitivity(args: argparse.Namespace) -> int:
    import pandas as pd

    from .io import open_sweep
    from .report import format_number

    sweep = open_sweep(args.file)
    period = None
    if args.start or args.end:
        months = sweep.frame(args.series).index
        period = (args.start or f"{months[0]:%Y-%m}", args.end or f"{months[-1]:%Y-%m}")
    options = dict(n_boot=args.boot, confidence=args.confidence)
    if args.command == "morris":
        from .screening import morris

        table = morris(sweep, args.series, period, args.how, **options)
        what = f"Morris elementary effects over {table.attrs['r']} trajectories (change per full range of the factor)"
    else:
        from .sobol import sobol_from_sweep

        table = sobol_from_sweep(sweep, args.series, period, args.how, **options)
        what = f"Sobol' indices from N = {table.attrs['n']} base samples"
    if args.csv:
        table.to_csv(args.csv)
    window = f"{period[0]}..{period[1]}" if period else "the whole run"
    print(f"{args.series} ({sweep.units.get(args.series, '')}) over {window}: {what}; "
          f"{100 * args.confidence:g} % bootstrap intervals")
    with pd.option_context("display.width", 250, "display.max_columns", None, "display.max_rows", None):
        print(table.to_string(formatters={c: format_number for c in table.columns}))
    return 0


def _noise(args: argparse.Namespace) -> int:
    import pandas as pd

    from .noise import target_noise
    from .report import format_number

    table = target_noise(args.files, args.targets, share=args.share)
    if args.csv:
        table.to_csv(args.csv, index=False)
    with pd.option_context("display.width", 250, "display.max_columns", None):
        print(table.to_string(index=False, na_rep="", formatters={c: format_number for c in table.columns}))
    return 0


def _csv(args: argparse.Namespace) -> int:
    from .export import series_csv
    from .io import open_file

    data = open_file(args.file)
    if data.kind == "calibration":
        raise ValueError(f"{args.file} is a calibration file: csv takes a run or a sweep")
    print(series_csv(data, args.output, "daily" if args.daily else "monthly"))
    return 0


def _transactions(args: argparse.Namespace) -> int:
    from .export import transactions_csv
    from .io import open_run

    print(transactions_csv(open_run(args.file), args.output))
    return 0


def _plot_cases(args: argparse.Namespace) -> int:
    from .io import open_run
    from .plots import plot_registered_cases  # matplotlib only when plotting

    out = Path(args.output) if args.output else Path(args.file).with_suffix(".cases.png")
    fig = plot_registered_cases(open_run(args.file))
    fig.savefig(out, dpi=args.dpi)
    print(out)
    return 0


def _plot_fit(args: argparse.Namespace) -> int:
    from .io import open_calibration
    from .plots import plot_predictive

    out = Path(args.output) if args.output else Path(args.file).with_suffix(".png")
    plot_predictive(open_calibration(args.file), args.series).savefig(out, dpi=args.dpi)
    print(out)
    return 0


def _ints(text: str) -> list[int]:
    try:
        values = [int(v) for v in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected whole numbers separated by commas, got {text!r}") from None
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError(f"expected positive whole numbers, got {text!r}")
    return values


def _positive(text: str) -> int:
    values = _ints(text)
    if len(values) != 1:
        raise argparse.ArgumentTypeError(f"expected one positive whole number, got {text!r}")
    return values[0]


def _history_match(args: argparse.Namespace) -> int:
    import shlex

    from .history import HistoryMatchError, Plan, history_match

    waves = len(args.points)
    scales = args.scales if len(args.scales) == waves else args.scales[-1:] * waves
    replicates = args.replicates if len(args.replicates) == waves else args.replicates[-1:] * waves
    plan = Plan(args.points, scales[:waves], replicates[:waves], cutoff=args.cutoff, rank=args.rank, draws=args.draws,
                keep=frozenset(filter(None, (args.keep or "").split(","))))
    try:
        result = history_match(args.calibration, args.output, plan, binary=args.binary, threads=args.threads,
                               launcher=shlex.split(args.launcher) if args.launcher else [], until=args.until)
    except HistoryMatchError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(result.parameter_table().to_string(index=False))
    print(f"effective sample size {result.ess:,.0f}; left out as structural misses: {', '.join(result.missed) or 'none'}")
    print(f"{Path(args.output) / 'history.h5'}, {Path(args.output) / 'best.yaml'}")
    return 0


def _attribute(args: argparse.Namespace) -> int:
    import shlex

    from .attribution import attribute

    result = attribute(args.scenario, args.posterior, args.output, args.draws, args.replicates, args.scale,
                       seed=args.seed, binary=args.binary, threads=args.threads,
                       launcher=shlex.split(args.launcher) if args.launcher else [], host_events=args.host_events,
                       only=args.interventions.split(",") if args.interventions else None)
    print(f"{len(result.chosen)} distinct posterior draws of {args.draws} x {args.replicates} replicates at "
          f"1:{args.scale}; change of each outcome from the intervention's start to the end when it is switched "
          f"off (mean (90 % interval))")
    print((Path(args.output) / "attribution.md").read_text(encoding="utf-8"), end="")
    print(f"{Path(args.output) / 'attribution.csv'}, {Path(args.output) / 'pairs.csv'}, {result.merged}")
    return 0


def _predict(args: argparse.Namespace) -> int:
    import shlex

    from .predict import Options, predict

    options = Options(draws=args.draws, replicates=args.replicates, scale=args.scale, seed=args.seed,
                      targets=args.targets, until=args.until, series=args.series, start=args.start, end=args.end,
                      point_targets=args.point_targets, confirm=args.confirm,
                      confirm_replicates=args.confirm_replicates)
    result = predict(args.scenario, args.posterior, args.output, options, binary=args.binary, threads=args.threads,
                     launcher=shlex.split(args.launcher) if args.launcher else [])
    out = Path(args.output)
    print(f"{len(result.chosen)} distinct posterior draws of {args.draws} x {args.replicates} seeds at 1:{args.scale}; "
          f"fitted until {result.window.fitted_end}: each target's predictive median (90 % interval)")
    print((out / "predict.md").read_text(encoding="utf-8"), end="")
    best = result.points.iloc[0]
    print(f"the point whose runs fit best: draw {best['draw']} (posterior sample {best['sample']}), score "
          f"{best['score']:.3g} over {best['targets_scored']} targets, {best['runs']} runs: {out / 'point.yaml'}")
    print(", ".join(str(out / name) for name in ("targets.csv", "monthly.csv", "yearly.csv", "points.csv",
                                                 "forecast.png")) + f", {result.merged}")
    return 0


def _coverage(args: argparse.Namespace) -> int:
    import pandas as pd

    from .coverage import CoverageRun, coverage
    from .history import HistoryMatchError, Plan
    from .report import format_number

    waves = len(args.points)
    plan = Plan(args.points, [args.scale] * waves, args.replicates[-1:] * waves if len(args.replicates) != waves
                else args.replicates, cutoff=args.cutoff, rank=args.rank, draws=args.draws)
    run = CoverageRun(args.truths, args.scale, args.truth_replicates, plan, seed=args.seed,
                      observation_error=not args.no_observation_error)
    try:
        _table, summary = coverage(args.calibration, args.output, run, binary=args.binary, threads=args.threads,
                                   progress=lambda m: print(m, file=sys.stderr, flush=True))
    except HistoryMatchError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    with pd.option_context("display.width", 250, "display.max_columns", None):
        print(summary.to_string(index=False, formatters={c: format_number for c in summary.columns}))
    out = Path(args.output)
    print(f"{out / 'coverage.csv'}, {out / 'summary.csv'}, {out / 'ranks.png'}")
    return 0


def _posterior_sweep_arguments(p: argparse.ArgumentParser, draws: int, replicates: int, scale: int, seeds: str) -> None:
    """The arguments of a command that runs a scenario over posterior draws as one sweep (attribute, predict)."""
    p.add_argument("scenario", help="scenario file (YAML)")
    p.add_argument("posterior", help="posterior: OUT/history.h5 of history-match, or the file of fraudsim calibrate")
    p.add_argument("-o", "--output", required=True, metavar="OUT", help="folder for the sweep, its runs and the tables")
    p.add_argument("--draws", type=int, default=draws, help=f"posterior draws, chosen by weight (default {draws})")
    p.add_argument("--replicates", type=int, default=replicates, help=f"seeds per draw, {seeds} (default {replicates})")
    p.add_argument("--scale", type=int, default=scale, help=f"people per agent (default {scale})")
    p.add_argument("--seed", type=int, default=1, help="seed of the choice of draws and of the sweep (default 1)")
    p.add_argument("--binary", default=os.environ.get("FRAUDSIM_BINARY", "fraudsim"), help="the fraudsim program")
    p.add_argument("--threads", type=int, help="threads for the sweep (default: all cores)")
    p.add_argument("--launcher", help="command put before 'fraudsim sweep', e.g. 'mpirun -np 32'")


def main(argv: list[str] | None = None) -> int:
    parser = _Parser(prog="fraudsim-analysis", description="Reports, comparisons and plots from fraudsim output.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    p = commands.add_parser("report", help="every figure that applies to a run, sweep or calibration file, "
                                           "with tables, as one HTML file (figures embedded)")
    p.add_argument("file", help="fraudsim output file (.h5): run, sweep or calibration")
    p.add_argument("-o", "--output", required=True, metavar="OUT", help="HTML file to write (ending .html), or a "
                                                                         "folder to write index.html into (created if missing)")
    p.add_argument("--targets", help="targets file for a run (default: scenarios/calibration/targets.yaml of the "
                                     "source tree, if present)")
    p.add_argument("--dpi", type=int, default=110)
    p.set_defaults(run=_report)
    p = commands.add_parser("compare", help="a run (with --targets) or a calibration beside the reported figures")
    p.add_argument("file", help="run or calibration file (.h5)")
    p.add_argument("--targets", help="targets file (YAML, see docs/analysis.md)")
    p.add_argument("--csv", help="also write the table to this CSV file")
    p.set_defaults(run=_compare)
    p = commands.add_parser("effects", help="each variant of a sweep against the baseline: paired differences over "
                                            "replicates with a 90 %% interval")
    p.add_argument("file", help="merged sweep file (.h5) of design type variants")
    p.add_argument("--series", default="registered_cases", help="monthly series (default registered_cases)")
    p.add_argument("--from", dest="start", metavar="DATE", help="first month of the window, YYYY-MM (default: the "
                                                                 "start of the intervention the variant changes)")
    p.add_argument("--to", dest="end", metavar="DATE", help="last month of the window, YYYY-MM (default: the end)")
    p.add_argument("--baseline", help="the variant to compare against (default: baseline or reference, else the first)")
    p.add_argument("--csv", help="also write the table to this CSV file")
    p.set_defaults(run=_effects)
    for name, help_text, design in (
            ("morris", "Morris screening of a morris sweep: mu* (with a bootstrap interval over trajectories), mu "
                       "and sigma per factor, largest mu* first", "morris"),
            ("sobol", "Sobol' first-order and total indices of a saltelli sweep, with bootstrap intervals",
             "saltelli")):
        p = commands.add_parser(name, help=help_text)
        p.add_argument("file", help=f"merged sweep file (.h5) of design type {design}")
        p.add_argument("--series", default="registered_cases", help="monthly series (default registered_cases)")
        p.add_argument("--from", dest="start", metavar="DATE", help="first month summed, YYYY-MM (default: the start)")
        p.add_argument("--to", dest="end", metavar="DATE", help="last month summed, YYYY-MM (default: the end)")
        p.add_argument("--how", choices=["sum", "mean", "last"],
                       help="summary of the window (default: sum for a flow, last for a stock)")
        p.add_argument("--boot", type=int, default=1000, help="bootstrap resamples (default 1000)")
        p.add_argument("--confidence", type=float, default=0.9, help="interval's coverage (default 0.9)")
        p.add_argument("--csv", help="also write the table to this CSV file")
        p.set_defaults(run=_sensitivity)
    p = commands.add_parser("noise", help="seed noise of each target over replicate runs (fraudsim run --replicates "
                                          "N), per scale, and the scale at which it is a given share of the tolerance")
    p.add_argument("files", nargs="+", help="replicates files (.h5), one per scale")
    p.add_argument("--targets", required=True, help="targets file (YAML, see docs/analysis.md)")
    p.add_argument("--share", type=float, default=1 / 3,
                   help="noise wanted, as a share of the tolerance (default 1/3)")
    p.add_argument("--csv", help="also write the table to this CSV file")
    p.set_defaults(run=_noise)
    p = commands.add_parser("history-match", help="history matching of a calibration file with Gaussian-process "
                                                  "emulators, wave by wave, then the emulated posterior")
    p.add_argument("calibration", help="calibration file (YAML, as for fraudsim calibrate)")
    p.add_argument("-o", "--output", required=True, metavar="OUT", help="folder for the waves' sweeps and the results")
    p.add_argument("--points", type=_ints, default=[240, 240, 160], help="design points per wave (default 240,240,160)")
    p.add_argument("--scales", type=_ints, default=[500, 500, 100],
                   help="people per agent in each wave (default 500,500,100; the last repeats)")
    p.add_argument("--replicates", type=_ints, default=[1, 1, 2], help="seeds per point in each wave (default 1,1,2)")
    p.add_argument("--cutoff", type=float, default=3.0, help="largest implausibility not ruled out (default 3)")
    p.add_argument("--rank", type=_positive, default=1,
                   help="rule a point out when this many targets of a wave are above the cutoff (default 1: any; "
                        "2 or 3 for many targets, docs/calibration.md)")
    p.add_argument("--keep", metavar="ID,ID", help="targets never left out while others can be (the primary ones)")
    p.add_argument("--draws", type=int, default=20000, help="draws kept of the emulated posterior (default 20000)")
    p.add_argument("--until", metavar="YYYY-MM", help="fit only the targets whose periods (and the periods they are "
                                                      "compared with) end by this month; recorded in history.h5")
    p.add_argument("--binary", default=os.environ.get("FRAUDSIM_BINARY", "fraudsim"), help="the fraudsim program")
    p.add_argument("--threads", type=int, help="threads for the sweeps (default: all cores)")
    p.add_argument("--launcher", help="command put before 'fraudsim sweep', e.g. 'mpirun -np 32'")
    p.set_defaults(run=_history_match)
    p = commands.add_parser("attribute", help="each intervention's effect on registered cases, losses and victims "
                                              "over posterior draws and paired seeds, with 90 %% intervals")
    _posterior_sweep_arguments(p, draws=20, replicates=2, scale=1000, seeds="shared by its variants")
    p.add_argument("--host-events", action="store_true",
                   help="also switch off the interventions of type enforcement_change (the host countries' events)")
    p.add_argument("--interventions", metavar="NAMES", help="only these interventions, comma-separated (default: "
                                                            "every one switched on)")
    p.set_defaults(run=_attribute)
    p = commands.add_parser("predict", help="the posterior predictive distribution of a scenario: each target "
                                            "against it (in or out of sample), the monthly forecast with a 90 %% band, "
                                            "and the draw whose runs fit best (point.yaml)")
    _posterior_sweep_arguments(p, draws=40, replicates=1, scale=100, seeds="each run its own")
    p.add_argument("--targets", help="targets file (default: calibration/targets.yaml in the scenario's folder)")
    p.add_argument("--until", metavar="YYYY-MM", help="the month the posterior was fitted until; later targets are "
                                                      "out of sample (default: history.h5's attribute until)")
    p.add_argument("--series", default="registered_cases", help="monthly series of monthly.csv and the figure "
                                                                "(default registered_cases)")
    p.add_argument("--from", dest="start", metavar="YYYY-MM", help="first month of monthly.csv and the shaded window "
                                                                    "(default: the month after the fitted period)")
    p.add_argument("--to", dest="end", metavar="YYYY-MM", help="last month of the window (default: the run's last)")
    p.add_argument("--point-targets", metavar="IDS", help="targets, comma-separated, whose fit chooses the point "
                                                          "(point.yaml; default: the fit's targets in sample)")
    p.add_argument("--confirm", type=int, default=0, metavar="K", help="run the K best draws again and choose the "
                                                                       "point among them (default 0: no second round)")
    p.add_argument("--confirm-replicates", type=int, default=10, metavar="R",
                   help="seeds of each draw run again (default 10)")
    p.set_defaults(run=_predict)
    p = commands.add_parser("coverage", help="simulation-based calibration of the history match: truths drawn from "
                                             "the prior, their figures simulated and fitted; how often the posterior "
                                             "intervals hold the truth, and the truths' ranks")
    p.add_argument("calibration", help="calibration file (YAML); its targets' reported figures are replaced by each truth's")
    p.add_argument("-o", "--output", required=True, metavar="OUT", help="folder for the truths' fits and the tables")
    p.add_argument("--truths", type=_positive, default=50, help="truths drawn from the prior (default 50)")
    p.add_argument("--seed", type=int, default=1, help="seed of the truths' draws (default 1)")
    p.add_argument("--scale", type=_positive, default=2000, help="people per agent, for the truths and the fits (default 2000)")
    p.add_argument("--truth-replicates", type=_positive, default=2,
                   help="seeds averaged into a truth's figures (default 2)")
    p.add_argument("--no-observation-error", action="store_true",
                   help="fit the truth's simulated figures as they are, without the error the likelihood assumes")
    p.add_argument("--points", type=_ints, default=[24, 24], help="design points per wave (default 24,24)")
    p.add_argument("--replicates", type=_ints, default=[1], help="seeds per point in each wave (default 1)")
    p.add_argument("--cutoff", type=float, default=3.0, help="largest implausibility not ruled out (default 3)")
    p.add_argument("--rank", type=_positive, default=1,
                   help="rule a point out when this many targets of a wave are above the cutoff (default 1: any; "
                        "2 or 3 for many targets, docs/calibration.md)")
    p.add_argument("--draws", type=int, default=20000, help="draws kept of each emulated posterior")
    p.add_argument("--binary", default=os.environ.get("FRAUDSIM_BINARY", "fraudsim"), help="the fraudsim program")
    p.add_argument("--threads", type=int, help="threads for the sweeps (default: all cores)")
    p.set_defaults(run=_coverage)
    p = commands.add_parser("csv", help="the series of a run (one row per month) or sweep (one row per run and month) "
                                        "as CSV")
    p.add_argument("file", help="run or merged sweep file (.h5)")
    p.add_argument("-o", "--output", required=True, metavar="CSV", help="CSV file to write")
    p.add_argument("--daily", action="store_true", help="a run's daily series instead of the monthly ones")
    p.set_defaults(run=_csv)
    p = commands.add_parser("transactions", help="a run's transaction graph (/transactions, written with fraudsim run "
                                                 "--transactions) as CSV, one row per transfer")
    p.add_argument("file", help="run file (.h5)")
    p.add_argument("-o", "--output", required=True, metavar="CSV", help="CSV file to write")
    p.set_defaults(run=_transactions)
    p = commands.add_parser("plot-cases", help="monthly registered cases with intervention starts")
    p.add_argument("file", help="fraudsim run file (.h5)")
    p.add_argument("-o", "--output", help="PNG to write (default: FILE with .cases.png)")
    p.add_argument("--dpi", type=int, default=150)
    p.set_defaults(run=_plot_cases)
    p = commands.add_parser("plot-fit", help="a calibration's posterior predictive band (fraudsim calibrate calls it)")
    p.add_argument("file", help="calibration file (.h5)")
    p.add_argument("-o", "--output", help="PNG to write (default: FILE with .png)")
    p.add_argument("--series", default="registered_cases")
    p.add_argument("--dpi", type=int, default=150)
    p.set_defaults(run=_plot_fit)
    args = parser.parse_args(argv)
    if missing_packages():  # one line instead of an ImportError's traceback
        print("error: " + missing_message(), file=sys.stderr)
        return 2
    from .compare import TargetsError
    from .io import FraudsimFileError

    try:
        return args.run(args)
    except (FraudsimFileError, TargetsError, ValueError, KeyError) as e:
        message = e.args[0] if isinstance(e, KeyError) and e.args else e
        print("error: " + " ".join(str(message).split()), file=sys.stderr)
        return 2
    except OSError as e:
        print(f"error: cannot write {getattr(e, 'filename', None) or 'the output'}: {e.strerror or e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
