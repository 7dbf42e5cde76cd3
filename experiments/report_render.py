"""Rendering a report: the self-contained HTML and its Markdown twin (every name escaped)."""

from __future__ import annotations

import base64
import html
import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import quote

import pandas as pd

if TYPE_CHECKING:
    from kzsim.report_kinds import Stored
    from sim.results import Results


@dataclass
class Report:
    """The content of a report before it is written."""

    title: str
    summary: list[str]
    figures: list[tuple[str, str, bytes]] = field(default_factory=list)
    tables: list[tuple[str, pd.DataFrame]] = field(default_factory=list)
    texts: list[tuple[str, str]] = field(default_factory=list)  # (caption, text as written)

def _table_html(df: pd.DataFrame) -> str:
    return df.to_html(float_format=lambda x: f"{x:.4g}", border=0, classes="t")


def _provenance(res: Results | Stored) -> list[tuple[str, str]]:
    m = res.manifest
    return [(k, str(m[k])) for k in ("git_commit", "started", "finished") if m.get(k)]


def _fence(text: str) -> str:
    """A Markdown code fence longer than any run of backticks in ``text`` (so it cannot end)."""
    longest = max((len(r) for r in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def _html(rep: Report, res: Results | Stored) -> str:
    parts = [f"<!doctype html><html><head><meta charset='utf-8'>"
             f"<title>{html.escape(rep.title)}</title>",
             "<style>body{font-family:system-ui,sans-serif;max-width:1200px;margin:2em auto;"
             "padding:0 1em;color:#222}img{max-width:100%}table.t{border-collapse:collapse;"
             "font-size:12px;margin:1em 0}table.t td,table.t th{border-bottom:1px solid #ddd;"
             "padding:3px 8px;text-align:right}pre{background:#f6f6f6;padding:1em;overflow:auto;"
             "font-size:11px}figure{margin:2em 0}figcaption{font-weight:600}</style></head><body>",
             f"<h1>{html.escape(rep.title)}</h1>",
             f"<p>Results folder <code>{html.escape(str(res.path))}</code>"
             + "".join(f"; {k.replace('_', ' ')} <code>{html.escape(v)}</code>"
                       for k, v in _provenance(res)) + ".</p>",
             "<h2>What the numbers show</h2><ul>"]
    parts += [f"<li>{html.escape(s)}</li>" for s in rep.summary]
    parts.append("</ul>" + ("<h2>Figures</h2>" if rep.figures else ""))
    for name, caption, data in rep.figures:
        uri = base64.b64encode(data).decode()
        parts.append(f"<figure id='{name}'><figcaption>{html.escape(caption)}</figcaption>"
                     f"<img alt='{html.escape(caption)}' src='data:image/png;base64,{uri}'>"
                     "</figure>")
    if rep.tables:
        parts.append("<h2>Tables</h2>")
    for caption, df in rep.tables:
        parts.append(f"<h3>{html.escape(caption)}</h3>{_table_html(df)}")
    if rep.texts:
        parts.append("<h2>Outputs as written</h2>")
    for caption, text in rep.texts:
        parts.append(f"<h3>{html.escape(caption)}</h3><pre>{html.escape(text)}</pre>")
    if not res.manifest:
        parts.append("</body></html>")
        return "\n".join(parts)
    cfg = json.dumps(res.manifest.get("config"), indent=2)
    man = json.dumps({k: v for k, v in res.manifest.items() if k not in ("config", "identity")},
                     indent=2, default=str)
    parts.append(f"<h2>Configuration</h2><details><summary>resolved configuration</summary>"
                 f"<pre>{html.escape(cfg)}</pre></details><h2>Manifest</h2><details><summary>"
                 f"manifest (counts, seeds, packages, times)</summary><pre>{html.escape(man)}"
                 "</pre></details></body></html>")
    return "\n".join(parts)


_MD_SPECIAL = re.compile(r"[\\`*\[\]|~<>&]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
_MD_ENTITY = {"<": "&lt;", ">": "&gt;", "&": "&amp;"}


def _md_escape(value: object) -> str:
    """Make text inert in Markdown: one line, HTML and link/emphasis/table characters escaped.

    ``< > &`` become entities (no raw HTML), backslash, backticks, ``* [ ] | ~`` and emphasis
    underscores get a backslash (no links, images, code spans, emphasis or broken table cells);
    intra-word underscores (``status_quo_2022``) stay readable.
    """
    text = " ".join(str(value).splitlines())
    return _MD_SPECIAL.sub(lambda m: _MD_ENTITY.get(m.group(), "\\" + m.group()), text)


def _markdown(rep: Report, res: Results | Stored, files: str) -> str:
    def label(value: object) -> object:
        return _md_escape(value) if isinstance(value, str) else value

    def table(df: pd.DataFrame) -> str:
        df = df.rename(index=label, columns=label).map(label)
        df.index.names = [label(n) for n in df.index.names]
        df.columns.names = [label(n) for n in df.columns.names]
        return df.to_markdown(floatfmt=".4g")

    config = json.dumps(res.manifest.get("config"), indent=2)
    for char, code in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                       ("`", "\\u0060")):
        config = config.replace(char, code)  # still the same JSON; no HTML, no fence break
    commit = res.manifest.get("git_commit")
    lines = [f"# {_md_escape(rep.title)}", "", f"Results folder {_md_escape(res.path)}"
             + (f"; git commit {_md_escape(commit)}" if commit else "") + ".", "",
             "## What the numbers show", ""]
    lines += [f"- {_md_escape(s)}" for s in rep.summary]
    if rep.figures:
        lines += ["", "## Figures", ""]
    lines += [f"![{_md_escape(caption)}]({quote(f'{files}/{name}.png')})\n"
              for name, caption, _ in rep.figures]
    if rep.tables:
        lines += ["## Tables", ""]
    for caption, df in rep.tables:
        lines += [f"### {_md_escape(caption)}", "", table(df), ""]
    if rep.texts:
        lines += ["## Outputs as written", ""]
    for caption, text in rep.texts:
        fence = _fence(text)
        lines += [f"### {_md_escape(caption)}", "", f"{fence}text", text.rstrip("\n"), fence, ""]
    if res.manifest:
        lines += ["## Configuration", "", "```json", config, "```", ""]
    return "\n".join(lines)
