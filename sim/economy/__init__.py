"""Model v2's economy.

A bounded macro frame, partner shares by substitution, oil routes, re-exports with origins,
and the accounting of pressure on Russia and of Kazakh income.

Every function is pure (arrays with a leading run axis in, arrays out). Effect sizes carry a
source and a prior range in their dataclass metadata (:func:`sim.schema.effect`).
"""
