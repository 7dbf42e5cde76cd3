"""Scenario discovery: the few lever ranges that make a target condition likely.

A shallow CART tree (scikit-learn) splits the lever space; every leaf where the target is
more frequent than overall becomes a box (the lever ranges on its path), with its coverage
(share of all target runs inside the box) and density (share of runs inside that hit the
target) — the two numbers PRIM-style discovery reports (Bryant & Lempert 2010). Restrictions
whose removal costs under one point of density are dropped, so boxes name only levers that
matter.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.tree import DecisionTreeClassifier, export_text

from sim.errors import ConfigError

# "captured" is a bloc above one half at the end of the run (sim.outcomes: final_captured_*)
PRESETS = {
    "captured_east": "final_captured_rus | final_captured_chn",
    "captured_rus": "final_captured_rus",
    "captured_chn": "final_captured_chn",
    "captured_west": "final_captured_west",
    "high_welfare_loss": "welfare_loss_pct_gdp > 1.0",
    "west_below_third": "final_align_west < 1/3",
}


@dataclass
class Box:
    """Lever ranges (low, high per lever it restricts) and how well they capture the target."""

    limits: dict[str, tuple[float, float]]
    coverage: float
    density: float
    n: int


MAX_TARGET_LENGTH = 500
MAX_TARGET_DEPTH = 50
ALLOWED = ("allowed in a target: the run table's column names (dotted like sanctions.intensity "
           "or with __ like sanctions__intensity), numbers, comparisons < <= > >= == != (chained "
           "too), and/or/not, & | ~, + - * /, and parentheses; or a preset: "
           + ", ".join(PRESETS))

_COMPARE = {ast.Lt: np.less, ast.LtE: np.less_equal, ast.Gt: np.greater,
            ast.GtE: np.greater_equal, ast.Eq: np.equal, ast.NotEq: np.not_equal}
_ARITHMETIC = {ast.Add: np.add, ast.Sub: np.subtract, ast.Mult: np.multiply,
               ast.Div: np.true_divide}
_LOGICAL = {ast.BitAnd: np.logical_and, ast.BitOr: np.logical_or}
_OPERATOR_TEXT = {ast.Pow: "**", ast.Mod: "%", ast.FloorDiv: "//", ast.MatMult: "@",
                  ast.LShift: "<<", ast.RShift: ">>", ast.BitXor: "^", ast.Is: "is",
                  ast.IsNot: "is not", ast.In: "in", ast.NotIn: "not in"}
_NODE_TEXT = {ast.Call: "function calls", ast.Subscript: "subscripts [...]",
              ast.Lambda: "lambda", ast.ListComp: "comprehensions",
              ast.SetComp: "comprehensions", ast.DictComp: "comprehensions",
              ast.GeneratorExp: "comprehensions", ast.NamedExpr: "assignments (:=)",
              ast.JoinedStr: "f-strings", ast.FormattedValue: "f-strings",
              ast.IfExp: "if-else expressions", ast.List: "lists", ast.Tuple: "tuples",
              ast.Set: "sets", ast.Dict: "dicts", ast.Starred: "starred expressions",
              ast.Slice: "slices"}


def target_mask(runs: pd.DataFrame, target: str) -> np.ndarray:
    """Evaluate a target condition (a preset name or an expression over run columns).

    The expression is parsed with :mod:`ast` (never ``eval``, ``DataFrame.eval`` or ``query``)
    and evaluated with numpy by a small interpreter that knows only column names, numbers,
    comparisons, and/or/not, ``& | ~`` and ``+ - * /``; anything else (calls, attributes,
    subscripts, strings, non-ASCII text, ...) is refused with one
    :class:`~sim.errors.ConfigError` line. Returns one bool per run.
    """
    expr = PRESETS.get(target, target) if isinstance(target, str) else target
    if not isinstance(expr, str) or not expr.strip():
        raise ConfigError(f"target is empty; {ALLOWED}")
    shown = _shown(target)
    if not expr.isascii():
        raise ConfigError(f"target {shown} contains non-ASCII characters, which are not allowed; "
                          f"{ALLOWED}")
    if len(expr) > MAX_TARGET_LENGTH:
        raise ConfigError(f"target is {len(expr)} characters long; at most {MAX_TARGET_LENGTH} "
                          f"are allowed; {ALLOWED}")
    try:
        tree = ast.parse(expr.strip(), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        raise ConfigError(f"cannot read target {shown} as a condition; {ALLOWED}") from None
    try:
        mask = _Evaluator(runs, shown).value(tree.body, 0)
    except ConfigError:
        raise
    except RecursionError:
        raise ConfigError(f"target {shown} is nested too deeply; {ALLOWED}") from None
    except (ArithmeticError, TypeError, ValueError, MemoryError):
        raise ConfigError(f"cannot evaluate target {shown}; {ALLOWED}") from None
    mask = np.asarray(mask)
    if mask.dtype != bool or mask.shape != (len(runs),):
        raise ConfigError(f"target {shown} must be a condition (true or false per run), such as "
                          f"final_align_west < 0.5; {ALLOWED}")
    return mask


def _shown(text: object) -> str:
    """Quote the user's target for a one-line message (escaped, cut after 80 characters)."""
    text = str(text)
    return repr(text if len(text) <= 80 else text[:77] + "...")


class _Evaluator:
    """Walk an allow-listed expression tree, evaluating it on the run table's columns."""

    def __init__(self, runs: pd.DataFrame, shown: str):
        self.runs, self.shown = runs, shown

    def refuse(self, what: str) -> ConfigError:
        return ConfigError(f"target {self.shown} uses {what}, which is not allowed; {ALLOWED}")

    def condition(self, node: ast.AST, depth: int, what: str) -> np.ndarray:
        value = np.asarray(self.value(node, depth))
        if value.dtype != bool:
            raise ConfigError(f"target {self.shown}: {what} needs conditions (true or false per "
                              f"run) on both sides, such as final_align_west < 0.5; {ALLOWED}")
        return value

    def number(self, node: ast.AST, depth: int, what: str) -> np.ndarray:
        value = np.asarray(self.value(node, depth))
        if value.dtype == bool:
            return value.astype(np.int64)
        if value.dtype.kind not in "iuf":
            raise ConfigError(f"target {self.shown}: {what} needs numbers; {ALLOWED}")
        return value

    def value(self, node: ast.AST, depth: int) -> np.ndarray | float | int | bool:
        if depth > MAX_TARGET_DEPTH:
            raise ConfigError(f"target {self.shown} is nested more than {MAX_TARGET_DEPTH} "
                              f"levels deep; {ALLOWED}")
        depth += 1
        if isinstance(node, ast.Constant):
            if type(node.value) is int and abs(node.value) >= 2**63:
                return float(node.value)  # numpy has no exact integers this large
            if type(node.value) in (bool, int, float):
                return node.value
            kind = {str: "strings", bytes: "bytes", complex: "complex numbers"}.get(
                type(node.value), repr(node.value))
            raise self.refuse(kind)
        if isinstance(node, (ast.Name, ast.Attribute)):
            return self.column(node)
        if isinstance(node, ast.BoolOp):
            combine = np.logical_and if isinstance(node.op, ast.And) else np.logical_or
            word = "and" if isinstance(node.op, ast.And) else "or"
            values = [self.condition(v, depth, f"'{word}'") for v in node.values]
            return combine.reduce(np.broadcast_arrays(*values))
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.Not):
                return np.logical_not(self.condition(node.operand, depth, "'not'"))
            if isinstance(node.op, ast.Invert):
                return np.logical_not(self.condition(node.operand, depth, "'~'"))
            sign = "-" if isinstance(node.op, ast.USub) else "+"
            operand = self.number(node.operand, depth, f"unary '{sign}'")
            return np.negative(operand) if sign == "-" else operand
        if isinstance(node, ast.BinOp):
            op = type(node.op)
            if op in _LOGICAL:
                word = "'&'" if op is ast.BitAnd else "'|'"
                return _LOGICAL[op](self.condition(node.left, depth, word),
                                    self.condition(node.right, depth, word))
            if op in _ARITHMETIC:
                with np.errstate(all="ignore"):
                    return _ARITHMETIC[op](self.number(node.left, depth, "arithmetic"),
                                           self.number(node.right, depth, "arithmetic"))
            raise self.refuse(f"the operator '{_OPERATOR_TEXT.get(op, op.__name__)}'")
        if isinstance(node, ast.Compare):
            result = None
            left = self.value(node.left, depth)
            for op, right_node in zip(node.ops, node.comparators, strict=True):
                if type(op) not in _COMPARE:
                    raise self.refuse(f"the comparison "
                                      f"'{_OPERATOR_TEXT.get(type(op), type(op).__name__)}'")
                right = self.value(right_node, depth)
                for side in (left, right):
                    if np.asarray(side).dtype.kind not in "biuf":
                        raise self.refuse("a comparison of something other than numbers")
                step = _COMPARE[type(op)](left, right)
                result = step if result is None else np.logical_and(result, step)
                left = right
            return result
        raise self.refuse(_NODE_TEXT.get(type(node), f"'{type(node).__name__}' expressions"))

    def column(self, node: ast.Name | ast.Attribute) -> np.ndarray:
        parts = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name):
            raise self.refuse("attribute access")
        dotted = ".".join([node.id, *reversed(parts)])
        name = next((n for n in (dotted, dotted.replace(".", "__"), dotted.replace("__", "."))
                     if n in self.runs.columns), dotted)
        if name not in self.runs.columns:
            choices = ", ".join(str(c) for c in self.runs.columns
                                if not str(c).startswith("first_"))
            raise ConfigError(f"target {self.shown} names unknown column '{dotted}'; "
                              f"{ALLOWED}; columns: {choices}")
        column = self.runs[name]
        if pd.api.types.is_bool_dtype(column.dtype):
            return column.to_numpy(dtype=bool, na_value=False)
        if pd.api.types.is_numeric_dtype(column.dtype):
            return column.to_numpy(dtype=float, na_value=np.nan)
        raise ConfigError(f"target {self.shown} names column '{name}', which holds text, not "
                          f"numbers; {ALLOWED}")


def discover(x: pd.DataFrame, y: np.ndarray, max_depth: int = 3, min_leaf: float = 0.02,
             seed: int = 0) -> tuple[list[Box], str]:
    """Boxes of lever space where the target is likelier than overall, best first."""
    y = np.asarray(y, dtype=bool)
    if y.all() or not y.any():
        raise ConfigError(f"the target holds in {y.mean():.0%} of runs; discovery needs runs "
                          "where it holds and runs where it does not")
    tree = DecisionTreeClassifier(max_depth=max_depth,
                                  min_samples_leaf=max(1, int(min_leaf * len(y))),
                                  random_state=seed)
    tree.fit(x.to_numpy(), y)
    t = tree.tree_
    base = y.mean()
    total = y.sum()
    boxes = []

    def walk(node: int, limits: dict) -> None:
        if t.children_left[node] == -1:
            inside = tree.apply(x.to_numpy()) == node
            density = y[inside].mean()
            if density > base:
                boxes.append(Box(dict(limits), float(y[inside].sum() / total), float(density),
                                 int(inside.sum())))
            return
        name, thr = x.columns[t.feature[node]], float(t.threshold[node])
        lo, hi = limits.get(name, (float(x[name].min()), float(x[name].max())))
        walk(t.children_left[node], {**limits, name: (lo, min(hi, thr))})
        walk(t.children_right[node], {**limits, name: (max(lo, thr), hi)})

    walk(0, {})
    unique: dict = {}
    for b in (_simplify(b, x, y) for b in boxes):
        unique.setdefault(tuple(sorted((k, round(lo, 9), round(hi, 9))
                                       for k, (lo, hi) in b.limits.items())), b)
    boxes = list(unique.values())
    boxes.sort(key=lambda b: (b.density * b.coverage), reverse=True)
    return boxes, export_text(tree, feature_names=list(x.columns))


def _measure(limits: dict, x: pd.DataFrame, y: np.ndarray) -> Box:
    inside = np.ones(len(y), dtype=bool)
    for name, (lo, hi) in limits.items():
        inside &= (x[name].to_numpy() >= lo) & (x[name].to_numpy() <= hi)
    n = int(inside.sum())
    density = float(y[inside].mean()) if n else 0.0
    return Box(dict(limits), float(y[inside].sum() / y.sum()), density, n)


def _simplify(box: Box, x: pd.DataFrame, y: np.ndarray, tolerance: float = 0.01) -> Box:
    """Drop restrictions that cost less than ``tolerance`` of density (they only fit noise)."""
    current = _measure(box.limits, x, y)
    while len(current.limits) > 1:
        trials = [_measure({k: v for k, v in current.limits.items() if k != drop}, x, y)
                  for drop in current.limits]
        best = max(trials, key=lambda b: b.density)
        if best.density < current.density - tolerance:
            break
        current = best
    return current


def boxes_table(boxes: list[Box]) -> pd.DataFrame:
    """One row per (box, restricted lever)."""
    rows = [{"box": i + 1, "lever": lever, "low": lo, "high": hi, "coverage": b.coverage,
             "density": b.density, "runs": b.n}
            for i, b in enumerate(boxes) for lever, (lo, hi) in b.limits.items()]
    return pd.DataFrame(rows)
