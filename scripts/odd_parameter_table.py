"""Regenerate the parameter table of docs/ODD.md (section 7.3) from the parameters' metadata.

    python scripts/odd_parameter_table.py          # rewrite the table in docs/ODD.md
    python scripts/odd_parameter_table.py --check  # exit 1 if the table is stale

The table sits between ``<!-- parameters:start -->`` and ``<!-- parameters:end -->``; its rows
come from ``sim.schema.effect`` metadata and the values of ``configs/params/default.yaml``, so
the documentation cannot drift from the code (``tests/test_docs.py`` runs the check).
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

ODD = Path(__file__).resolve().parents[1] / "docs" / "ODD.md"
START, END = "<!-- parameters:start -->", "<!-- parameters:end -->"


def _fmt(x) -> str:
    return f"{x:.5g}" if isinstance(x, float) else str(x)


def parameter_table(params) -> str:
    """The Markdown table of every numeric parameter: value, unit, prior and source."""
    from sim.schema import FITTED

    rows = []

    def walk(obj, prefix):
        for f in dataclasses.fields(obj):
            value = getattr(obj, f.name)
            key = f"{prefix}.{f.name}" if prefix else f.name
            if dataclasses.is_dataclass(value):
                walk(value, key)
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                meta = f.metadata
                source = meta.get("source", "")
                fitted = source.startswith("fitted")
                if source.startswith(FITTED):
                    source = source[len(FITTED):]
                elif fitted:
                    source = "calibrated to 2022"
                lo, hi = meta["prior"]
                rows.append(f"| `{key}` | {_fmt(value)}{' **fitted**' if fitted else ''} | "
                            f"{meta.get('unit', '') or '–'} | [{_fmt(float(lo))}, "
                            f"{_fmt(float(hi))}] | {source.replace('|', '/')} |")

    walk(params, "")
    return "\n".join(["| parameter | value | unit | prior | source |", "|---|---|---|---|---|",
                      *rows])


def render(text: str, table: str) -> str:
    """``text`` with the table between the markers replaced by ``table``."""
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n{table}\n{END}{tail}"


def main(argv: list[str]) -> int:
    """Rewrite the table, or with ``--check`` report whether it is current."""
    import kzsim

    text = ODD.read_text()
    new = render(text, parameter_table(kzsim.load_config([]).params))
    if "--check" in argv:
        if new != text:
            print("docs/ODD.md's parameter table is stale: "
                  "run python scripts/odd_parameter_table.py")
            return 1
        return 0
    ODD.write_text(new)
    print(f"wrote {ODD}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
