"""The stages of a turn, in the order they run (see :func:`sim.world.resolve`).

1. :func:`~sim.stages.stance.stance` - the West's combined stance from the US and EU actions.
2. :func:`~sim.stages.economy.macro` - GDP, oil price and oil volume (M21).
3. :func:`~sim.stages.economy.russia` - what sanctions block, what leaks (M3, M24), the
   pressure on Russia, and Russia's decline (M10).
4. :func:`~sim.stages.politics.politics` - demands and penalties felt, backfire and fairness
   (M4, M6), relief (M5, M19), compliance strain (M2), signals (M20).
5. :func:`~sim.stages.economy.oil` - routes and outages (M15, M7), oil routing (M23).
6. :func:`~sim.stages.economy.costs` - every channel's trade costs (M1, M2, M9-M11, M13-M15, M22).
7. :func:`~sim.stages.economy.trade` - partner shares by substitution (M22), flows by partner.
8. :func:`~sim.stages.economy.income` - real income, the loss against the paired
   no-sanctions run, and the resentment it causes (M1).
9. :func:`~sim.stages.politics.incentives` - offers and ties (M9, M11-M14), bridge value (M18).
10. :func:`~sim.stages.politics.domestic` - stability (M17).
11. :func:`~sim.stages.alignment.alignment` - doctrine (M16), noise, the replicator step.
"""

from sim.stages.alignment import alignment
from sim.stages.economy import costs, income, macro, oil, russia, trade
from sim.stages.politics import domestic, incentives, politics
from sim.stages.stance import stance

STAGES = (stance, macro, russia, politics, oil, costs, trade, income, incentives, domestic,
          alignment)
