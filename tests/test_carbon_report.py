"""Carbon figures in report.html: gross-to-net waterfall, scorecard, hour-by-day heatmap, alternatives, 24/7."""

from __future__ import annotations

import copy

import pytest

from twin import load_results, simulate
from twin.report.carbon import carbon_section, waterfall_figure
from conftest import SMALL_PARK


@pytest.fixture(scope="module")
def run():
    cfg = copy.deepcopy(SMALL_PARK)
    cfg["park"]["components"]["gas"] = {"type": "gas_supply", "import_limit_mw": 20.0}
    cfg["park"]["components"]["boiler"] = {"type": "gas_boiler", "capacity_mw": 10.0}
    cfg["park"]["components"]["homes"] = {"type": "heat_load", "design_mw": 0.0, "base_mw": 2.0}
    cfg["accounting"] = {"green_certificates_mwh": 50.0, "include_process_emissions": False}
    return simulate(cfg)


def test_every_carbon_figure_has_a_title_axes_with_units_and_data(run):
    figures = carbon_section(run)
    assert len(figures) == 5
    for fig in figures:
        assert fig.layout.title.text
        assert fig.data and any(len(t.y if t.y is not None else t.z) for t in fig.data)
        assert "[" in (fig.layout.yaxis.title.text or "")
    heat = figures[2].data[0]
    assert len(heat.z) == 24 and len(heat.x) == 2                   # hour of day x 2 days


def test_the_waterfall_walks_from_gross_to_net(run):
    s = run.summary["carbon"]
    fig = waterfall_figure(s)
    w = fig.data[0]
    relative = [y for y, m in zip(w.y, w.measure) if m == "relative"]
    assert sum(relative) * 1e3 == pytest.approx(s["core_numerator_co2_t"], rel=1e-12)
    assert "Green certificates" in w.x and "Net emissions" in w.x and "Gross emissions" in w.x


def test_figures_draw_from_a_run_folder_read_back(run, tmp_path):
    run.save(tmp_path)
    back = load_results(tmp_path)
    assert len(carbon_section(back)) == 5
    html = (tmp_path / "report.html").read_text()
    assert "Carbon and indicators" in html and "Indicator scorecard" in html
    ind = back.indicators.set_index("key")
    assert {"numerator", "denominator", "reason", "evaluated"} <= set(back.indicators.columns)
    assert ind.loc["core", "value"] == pytest.approx(run.indicators.set_index("key").loc["core", "value"], rel=1e-12)
