"""How time and memory grow with scale: the plot of docs/performance.md.

Reads the table scripts/bench_scaling.sh writes (one row per scale and
thread count, the columns of fraudsim_bench) and draws wall time and peak
memory against the number of resident agents, both axes logarithmic.

    /usr/bin/python3 bench/plot_scaling.py docs/performance_scaling.txt docs/performance_scaling.png
"""
import sys

import matplotlib
import numpy as np

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def read_rows(path):
    rows = []
    with open(path) as table:
        for line in table:
            fields = line.split()
            if not fields or line.startswith("#") or fields[0] == "scale":
                continue
            rows.append({"scale": int(fields[0]), "threads": int(fields[1]), "residents": float(fields[2]),
                         "wall_s": float(fields[3]), "setup_s": float(fields[4]),
                         "peak_mib": float(fields[8]), "bytes_per_resident": float(fields[9])})
    return rows


def main(table_path, png_path):
    rows = read_rows(table_path)
    figure, (time_axis, memory_axis) = plt.subplots(1, 2, figsize=(11, 4.4))
    for threads, colour in ((1, "tab:blue"), (2, "tab:orange")):
        mine = sorted((r for r in rows if r["threads"] == threads), key=lambda r: r["residents"])
        residents = [r["residents"] for r in mine]
        time_axis.plot(residents, [r["wall_s"] for r in mine], "o-", color=colour,
                       label=f"{threads} thread{'s' if threads > 1 else ''}: whole run")
        time_axis.plot(residents, [r["setup_s"] for r in mine], "x--", color=colour, alpha=0.6,
                       label=f"{threads} thread{'s' if threads > 1 else ''}: of which set-up")
        if threads == 2:
            memory_axis.plot(residents, [r["peak_mib"] for r in mine], "o-", color="tab:green", label="peak memory")
            for r in mine:
                memory_axis.annotate(f"{r['bytes_per_resident']:.1f} B", (r["residents"], r["peak_mib"]),
                                     textcoords="offset points", xytext=(6, -10), fontsize=8)
            ends = [residents[0], residents[-1]]
            memory_axis.plot(ends, [n * 16 / 2**20 for n in ends], ":", color="grey", label="16 bytes per resident")
    for axis in (time_axis, memory_axis):
        axis.set_xscale("log")
        axis.set_yscale("log")
        axis.set_xlabel("resident agents")
        axis.grid(True, which="both", alpha=0.3)
        people_per_agent = lambda n: 1.4126e9 / np.maximum(n, 1e-9)  # noqa: E731 (its own inverse)
        secondary = axis.secondary_xaxis("top", functions=(people_per_agent, people_per_agent))
        secondary.set_xlabel("scale (people per agent)")
    peaks = [r["peak_mib"] for r in rows]
    memory_axis.set_ylim(min(peaks) / 2, max(peaks) * 2)
    time_axis.set_ylabel("wall time (s), 2019-2024")
    time_axis.set_title("Time")
    time_axis.legend(fontsize=8)
    memory_axis.set_ylabel("peak resident set (MiB)")
    memory_axis.set_title("Memory (labels: bytes per resident agent)")
    memory_axis.legend(fontsize=8, loc="upper left")
    figure.suptitle("Reference scenario China 2019-2024, by scale")
    figure.tight_layout()
    figure.savefig(png_path, dpi=110)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: plot_scaling.py TABLE.txt OUT.png")
    main(sys.argv[1], sys.argv[2])
