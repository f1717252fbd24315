"""The engine: sub-hour events land in their hours, settlement runs after agents."""

import numpy as np
import pandas as pd
import pytest

from twin.core.carriers import Carrier
from twin.core.clock import HourClock, add_interval_energy
from twin.core.engine import Engine
from twin.core.ledger import Ledger


def test_batch_ending_at_14_20_puts_a_third_of_an_hour_into_the_14_00_slot():
    e = np.zeros(24)
    add_interval_energy(e, 12.5, 14.0 + 20 / 60, 3.0)  # 12:30 -> 14:20 at 3 MW
    assert e[12] == pytest.approx(1.5)
    assert e[13] == pytest.approx(3.0)
    assert e[14] == pytest.approx(1.0)
    assert e.sum() == pytest.approx(3.0 * (14 + 20 / 60 - 12.5))


def test_interval_within_one_hour_and_clipped_at_horizon():
    e = np.zeros(4)
    add_interval_energy(e, 1.25, 1.75, 2.0)
    add_interval_energy(e, 3.5, 6.0, 2.0)  # runs past the horizon: only 0.5 h counted
    np.testing.assert_allclose(e, [0, 1.0, 0, 1.0])


class _Recorder:
    """An agent that posts at sub-hour times and logs (event, time)."""

    def __init__(self, log, demand):
        self.log = log
        self.demand = demand

    def process(self, env):
        self.log.append(("start", env.now))
        yield env.timeout(1.0)  # at exactly 1.0: must run before hour 0's settlement
        self.log.append(("post", env.now))
        add_interval_energy(self.demand, 0.0, 1.0 + 1 / 3, 6.0)
        yield env.timeout(1 / 3)
        self.log.append(("batch end", env.now))


class _Dispatch:
    def __init__(self, log, demand):
        self.log, self.demand = log, demand

    def settle(self, hour):
        self.log.append(("settle", hour, self.demand[hour]))


def test_settlement_of_an_hour_runs_after_every_agent_event_of_its_closing_instant():
    clock = HourClock.from_strings("2025-01-01 00:00", 3, "Asia/Shanghai")
    log, demand = [], np.zeros(3)
    engine = Engine(clock, [_Recorder(log, demand)], _Dispatch(log, demand), Ledger(3))
    engine.run()
    assert log == [
        ("start", 0.0),
        ("post", 1.0),
        ("settle", 0, 6.0),
        ("batch end", 1 + 1 / 3),
        ("settle", 1, pytest.approx(2.0)),
        ("settle", 2, 0.0),
    ]


class _Meter:
    """Closes its hours with ``end_hour``; ``stage`` 1 reads what stage 0 closed."""

    def __init__(self, log, name, stage=0):
        self.log, self.name, self.end_hour_stage = log, name, stage

    def end_hour(self, hour):
        self.log.append((self.name, hour))


def test_hour_ends_run_before_the_instants_events_and_settlement_stage_1_last():
    clock = HourClock.from_strings("2025-01-01 00:00", 2, "Asia/Shanghai")
    log, demand = [], np.zeros(2)
    agents = [_Meter(log, "reader", stage=1), _Recorder(log, demand), _Meter(log, "meter")]
    Engine(clock, agents, _Dispatch(log, demand), Ledger(2)).run()
    assert log == [
        ("start", 0.0),
        ("meter", 0), ("reader", 0),          # at 1.0, before the agent's event of that instant
        ("post", 1.0),
        ("settle", 0, 6.0),
        ("batch end", 1 + 1 / 3),
        ("meter", 1), ("reader", 1),
        ("settle", 1, pytest.approx(2.0)),
    ]


def test_clock_labels_local_time():
    clock = HourClock.from_strings("2025-01-01 00:00", 24, "Asia/Shanghai")
    assert clock.index[0] == pd.Timestamp("2025-01-01 00:00", tz="Asia/Shanghai")
    assert clock.label(14) == "2025-01-01 14:00 CST"
    assert Carrier.ELECTRICITY.value == "electricity"
