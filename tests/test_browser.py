"""A real browser opens report.html and comparison.html: no JavaScript error, every figure drawn with data.

Uses headless Chromium (Debian's ``chromium``; ``.ci/run`` installs it when
missing). The page is loaded from a copy with two small scripts added: one
that records JavaScript errors from the start, one that reports after load,
for every plotly figure, its trace count and the number of points plotly
actually laid out (``_fullData[i]._length``).
"""

import json
import shutil
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (.ci/run installs it)")

_RECORD_ERRORS = ('<script>window.__errors=[];window.addEventListener("error",'
                  'function(e){window.__errors.push(String(e.message))});</script>')
_REPORT = """<script>
window.addEventListener('load', function () { setTimeout(function () {
  var out = {errors: window.__errors, divs: document.querySelectorAll('.plotly-graph-div').length, plots: []};
  document.querySelectorAll('.js-plotly-plot').forEach(function (el) {
    var points = 0;
    (el._fullData || []).forEach(function (t) { points += (t._length || (t.z && t.z.length) || (t.node && t.node.label ? t.node.label.length : 0) || 0); });
    var title = el.layout && el.layout.title ? (el.layout.title.text || el.layout.title) : '';
    out.plots.push({title: title, traces: (el._fullData || []).length, points: points,
                    svg: el.querySelectorAll('svg.main-svg').length});
  });
  document.body.setAttribute('data-check', JSON.stringify(out));
}, 1000); });
</script>"""


def browser_check(page: Path, tmp_path: Path) -> dict:
    """Open ``page`` in headless Chromium; return errors and per-figure data counts."""
    probe = tmp_path / f"probe_{page.name}"
    text = page.read_text(encoding="utf-8")
    probe.write_text(text.replace("<head>", "<head>" + _RECORD_ERRORS, 1).replace("</body>", _REPORT + "</body>"),
                     encoding="utf-8")
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={tmp_path / 'chromium-profile'}", "--virtual-time-budget=20000",
           "--dump-dom", probe.as_uri()]
    dom = subprocess.run(cmd, capture_output=True, text=True, timeout=120).stdout
    marker = 'data-check="'
    assert marker in dom, "the check script did not run (page did not load?)"
    return json.loads(unescape(dom.split(marker, 1)[1].split('"', 1)[0]))


def _assert_drawn(check: dict):
    assert check["errors"] == []
    assert check["divs"] >= 1 and len(check["plots"]) == check["divs"]
    for plot in check["plots"]:
        assert plot["svg"] > 0, plot
        assert plot["traces"] > 0 and plot["points"] > 0, plot
        assert plot["title"], plot


def test_report_html_draws_every_figure_without_errors(tmp_path):
    run = tmp_path / "run"
    proc = subprocess.run([sys.executable, "-m", "twin", "run.hours=168", "run.progress=false",
                           f"hydra.run.dir={run}"], capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    check = browser_check(run / "report.html", tmp_path)
    _assert_drawn(check)
    assert len(check["plots"]) >= 3


def test_comparison_html_draws_every_figure_without_errors(tmp_path):
    sweep = tmp_path / "sweep"
    proc = subprocess.run([sys.executable, "-m", "twin", "-m", "run.hours=24", "run.progress=false",
                           f"hydra.sweep.dir={sweep}", "park.components.pv_ground.capacity_mw=100,300"],
                          capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    check = browser_check(sweep / "comparison.html", tmp_path)
    _assert_drawn(check)
    assert len(check["plots"]) == 4


def test_the_check_catches_a_script_error_and_an_empty_figure(tmp_path):
    import plotly.graph_objects as go

    fig = go.Figure(layout={"title": "empty"}).to_html(full_html=True, include_plotlyjs=True)
    page = tmp_path / "broken.html"
    page.write_text(fig.replace("</body>", "<script>no_such_function();</script></body>"), encoding="utf-8")
    check = browser_check(page, tmp_path)
    assert any("no_such_function" in e for e in check["errors"])
    assert check["plots"][0]["points"] == 0
