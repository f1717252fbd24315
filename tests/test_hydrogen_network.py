"""The hydrogen pipeline network: the fast path against plain pandapipes pipeflow
(fluid hydrogen) on sampled hours, its balance, and a bad layout refused with its key."""

import pytest

from twin.config import validate
from twin.core.dispatch import MeritOrderDispatch
from twin.core.engine import Engine
from twin.core.errors import ConfigError
from twin.simulation import DOMAIN_CHECKS, _load, build, compose

P_TOL_BAR = 1e-4  # the issue's pressure tolerance for the pipes' fast path


def _run(overrides):
    valid = validate(compose(overrides), extra_checks=[_load(r) for r in DOMAIN_CHECKS])
    clock, ctx, comps, ledger, unserved, dumped = build(valid)
    from twin.hydrogen.network import build_hydrogen_network

    net = build_hydrogen_network(valid, ctx, comps, ledger, record=True)
    Engine(clock, comps, MeritOrderDispatch(comps, unserved, dumped), ledger,
           networks=[net], observers=[c for c in comps if hasattr(c, "after_settle")]).run()
    return net, ledger


def test_hydrogen_fast_path_matches_plain_pipeflow_on_sampled_hours():
    from twin.thermal.network import compare_gas_with_pipeflow

    net, ledger = _run(["run.hours=168", "run.progress=false", "run.start=2025-06-01 00:00"])
    assert ledger.columns["hydrogen_network.converged"].min() == 1.0
    sampled = net.log[::7]
    result = compare_gas_with_pipeflow(net, sampled)
    assert result["failed"] == 0 and result["hours"] == len(sampled)
    assert result["p_bar"] < P_TOL_BAR
    assert result["mdot_rel"] < 1e-3
    # the tank junction holds 20 bar; the far junctions lose a little, never below p_min
    p_min = ledger.columns["hydrogen_network.p_min_bar"]
    assert 12.0 < p_min.min() <= 20.0
    # what the tank gives to the network equals what the components draw there, in kg (LHV 33.33 kWh/kg)
    draws = sum(e["draws_kg_per_s"].sum() for e in net.log) * 3600.0
    assert draws == pytest.approx(ledger.columns["hydrogen_network.import_kg"].sum(), rel=1e-12)


def test_a_pipe_to_an_unknown_junction_is_refused_with_its_key():
    with pytest.raises(ConfigError) as err:
        validate(compose(["run.hours=24", "+park.networks.hydrogen.pipes.bad={from: h2plant, to: nowhere, "
                          "length_m: 100, diameter_mm: 50}"]), extra_checks=[_load(r) for r in DOMAIN_CHECKS])
    assert "park.networks.hydrogen.pipes.bad" in str(err.value)
