"""The park's hydrogen pipeline network, solved every hour with run.networks=true.

The only module of ``twin.hydrogen`` that touches pandapipes. A hydrogen
network is a compressible-gas network like the natural-gas one, so it reuses
that solver (pandapipes net built once with fluid ``hydrogen``, then the
warm-started Newton fast path of ``twin.thermal.newton`` each hour) with its
own carrier, columns and pressure reference: the hydrogen tank, whose
regulator holds the distribution pressure. Electrolysers inject at their
junctions, users draw at theirs, the tank's junction takes the balance.
Energy (LHV) becomes mass with the fluid's 33.33 kWh/kg.
"""

from __future__ import annotations

from twin.core.carriers import Carrier
from twin.core.errors import ConfigError
from twin.thermal.layout import parse_gas_layout
from twin.thermal.network import GasNetwork

PREFIX = "park.networks.hydrogen"


def parse_hydrogen_layout(raw, components):
    """Read and check ``park.networks.hydrogen`` (same keys as the gas layout;
    fluid ``hydrogen``; the ``h2_storage`` component is the pressure reference)."""
    return parse_gas_layout(raw, components, prefix=PREFIX, gate_type="h2_storage", junction_key="h2_junction",
                            fluids=("hydrogen",))


class HydrogenNetwork(GasNetwork):
    """Hydrogen pipelines from electrolysers and the tank to the users."""

    name = "hydrogen"
    carrier = Carrier.HYDROGEN
    gate_type = "h2_storage"
    junction_key = "h2_junction"
    prefix = "hydrogen_network"


def check_layout(valid) -> list[tuple[str, str]]:
    """DOMAIN_CHECKS entry: the hydrogen layout, when the park has one."""
    raw = (valid.networks or {}).get("hydrogen")
    return [] if raw is None else parse_hydrogen_layout(raw, valid.components)[1]


def build_hydrogen_network(valid, ctx, components, ledger, record: bool = False):
    """The park's hydrogen network, or None when it has no ``park.networks.hydrogen``."""
    raw = (valid.networks or {}).get("hydrogen")
    if raw is None:
        return None
    layout, problems = parse_hydrogen_layout(raw, valid.components)
    if problems:
        raise ConfigError(problems)
    return HydrogenNetwork(layout, ctx, components, ledger, record=record)
