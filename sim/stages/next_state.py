"""The next world state, assembled from a finished turn's frame."""

from __future__ import annotations


def next_state(f) -> dict:
    """Every field of :class:`~sim.state.WorldState` for the next month."""
    s, v = f.s, f.vector
    pressure = f.pressure
    blocked = pressure.blocked
    return dict(
        align=f.align, exports=f.exports, imports=f.imports,
        tau_imports=f.tau_m, tau_exports=f.tau_x, cost_shock=f.cost_shock,
        gdp=f.gdp, log_oil_price=v(f.log_price), oil_price=v(f.price), oil_routes=f.oil_routes,
        oil_lost_mt=v(f.oil_lost), reexports=v(f.flow), evasion=v(f.evasion),
        reexports_west=v(f.reexports_west), reexports_chn=v(f.reexports_chn),
        penalties=v(f.penalties),
        leakage=v(pressure.leaked / (blocked + (blocked == 0))),
        intensity=f.intensity, pressure=v(pressure.share), pressure_usd=v(pressure.total),
        capacity=v(f.capacity), west_pressure=f.secondary, felt_pressure=v(f.felt),
        unfairness=v(f.unfair), enforcement=v(f.kaz.enforcement),
        compliance=v(f.kaz.compliance), signal=v(f.kaz.signal), grievance=v(f.grievance),
        corridor_mt=v(f.corridor), caspian_oil_mt=v(f.caspian), oil_share=v(f.oil_share),
        cpc_days=v(f.cpc_days), cpc_days_total=s.cpc_days_total + f.cpc_days,
        income=v(f.income), loss_usd=v(f.loss_usd), loss_share=v(f.loss_share),
        welfare=1.0 - v(f.loss_share), stability=v(f.stability), last_push=f.total_push,
    )
