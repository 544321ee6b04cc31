"""The report as a browser shows it: headless Chromium (Debian's chromium) loads the one HTML file, every
figure decodes, and the page is not blank."""
import re
import shutil
import subprocess

import numpy as np
import pytest

from conftest import require
from test_analysis_report import report

pytest_plugins = ["test_analysis_fixtures"]  # the shared files (fixtures)

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# Added to a copy of the page only: after load, each image's decoded width (0 if it failed) goes into an
# attribute that --dump-dom prints.
PROBE = ('<script>window.addEventListener("load", () => document.body.setAttribute("data-widths", '
         '[...document.images].map(i => i.complete ? i.naturalWidth : 0).join(",")));</script>')


def chromium(tmp_path, *args) -> str:
    require(CHROMIUM is not None, "chromium (Debian package chromium)")
    result = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                             f"--user-data-dir={tmp_path / 'profile'}", *args], capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


@pytest.fixture(scope="module")
def run_report(real_run, tmp_path_factory):
    out = tmp_path_factory.mktemp("chromium") / "out"
    page, figures = report(real_run, out)
    return out / "index.html", page, figures


def test_every_figure_loads_in_chromium(run_report, tmp_path):
    _, page, figures = run_report
    probe = tmp_path / "probe.html"
    probe.write_text(page.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    dom = chromium(tmp_path, "--virtual-time-budget=10000", "--dump-dom", probe.as_uri())
    widths = re.search(r'data-widths="([^"]*)"', dom)
    assert widths, "the page did not finish loading"
    widths = [int(w) for w in widths.group(1).split(",")]
    assert len(widths) == len(figures) and all(w > 300 for w in widths), widths


def test_the_rendered_page_is_not_blank(run_report, tmp_path):
    from matplotlib.image import imread

    shot = tmp_path / "shot.png"
    chromium(tmp_path, "--window-size=1200,1600", f"--screenshot={shot}", run_report[0].as_uri())
    pixels = imread(shot)[..., :3]
    assert pixels.shape[:2] == (1600, 1200)
    ink = (pixels.mean(axis=2) < 0.9).mean()  # share of pixels that are not white or nearly
    assert 0.02 < ink < 0.6, ink  # text, a figure's lines and bars; not a blank or black page
    colours = np.unique((pixels * 255).astype(np.uint8).reshape(-1, 3), axis=0)
    assert len(colours) > 50  # a figure's colours, not only text on white
