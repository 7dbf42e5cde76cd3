"""Stage 1: the West's combined stance (accounting; no mechanism)."""

from __future__ import annotations

import numpy as np


def stance(f) -> None:
    """Weighted US and EU sanctions, secondary pressure, a listing's deterrence, shared levers."""
    usa, eu = f.act["USA"], f.act["EU"]
    wu, we = f.ctx.west_weights
    su, se = usa.sanctions * wu, eu.sanctions * we
    f.intensity = f.vector(su + se)
    f.usa_share = np.where(f.intensity > 0, su / np.maximum(f.intensity, 1e-12), wu / (wu + we))
    f.secondary = f.vector(usa.secondary * wu + eu.secondary * we)
    # The EU's anti-circumvention listing bans listed goods to Kazakhstan: on the Kazakh
    # route (M3) it deters like extra secondary pressure of size params.M3.listing_secondary.
    f.listing = f.p.M3.listing_secondary * (usa.anti_circumvention + eu.anti_circumvention)

    def mean(name):
        return (getattr(usa, name) * wu + getattr(eu, name) * we) / (wu + we)

    f.compensation, f.licences, f.clarity = mean("compensation"), mean("licences"), mean("clarity")
    f.coalition = mean("coalition_consistency")
    f.power = f.s.capacity if f.on.M10 else 1.0
    f.kaz, f.rus, f.chn, f.usa, f.eu = (f.act[c] for c in ("KAZ", "RUS", "CHN", "USA", "EU"))
