"""Names a user gives (design names) are inert in report.md, as they are in report.html."""

import re

import pytest

from kzsim.compare_command import compare_command
from kzsim.report import _md_escape, write_report

SCRIPT = "<script>alert(1)</script>"
LINK = "[x](javascript:alert(2))"


@pytest.fixture(scope="module")
def hostile_compare(tmp_path_factory):
    out = tmp_path_factory.mktemp("xss") / "c"
    name = f"{SCRIPT} {LINK} | *b* _u_"
    compare_command([f"designs=[status_quo_2022,{{name:'{name}',intensity:0.9}}]",
                     "compare.replications=3", "compare.workers=1", "turns=12", f"out={out}",
                     "quiet=true"])
    return out


def test_review_s3_no_raw_script_in_either_report(hostile_compare):
    path = write_report(hostile_compare)
    html = path.read_text()
    md = path.with_suffix(".md").read_text()
    assert "<script" not in html and "<script" not in md
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in md  # the name is there, escaped
    assert md.count("&lt;script&gt;") >= 7  # every place the review found it raw
    assert not re.search(r"(?<!\\)\]\(javascript", md)  # no live link
    assert "\\[x\\](javascript:alert(2))" in md and "\\*b\\*" in md and "\\_u\\_" in md


def test_pipes_in_names_do_not_break_tables(hostile_compare):
    md = write_report(hostile_compare).with_suffix(".md").read_text()
    blocks = re.findall(r"(?m)((?:^\|.*\n)+)", md)
    assert len(blocks) >= 3
    for block in blocks:
        rows = block.splitlines()
        cells = [len(re.findall(r"(?<!\\)\|", row)) for row in rows]
        assert len(set(cells)) == 1, rows[0]
    assert "\\|" in md


def test_figure_links_still_point_at_the_files(hostile_compare):
    md = write_report(hostile_compare).with_suffix(".md").read_text()
    links = re.findall(r"\]\((report_files/[^)]+)\)", md)
    assert len(links) == 5 and all((hostile_compare / link).exists() for link in links)


@pytest.mark.parametrize("text, escaped", [
    ("<b>&</b>", "&lt;b&gt;&amp;&lt;/b&gt;"),
    ("![img](http://x)", "!\\[img\\](http://x)"),
    ("a | b", "a \\| b"),
    ("`code`", "\\`code\\`"),
    ("*em* _em_ ~~s~~", "\\*em\\* \\_em\\_ \\~\\~s\\~\\~"),
    ("status_quo_2022", "status_quo_2022"),
    ("back\\slash", "back\\\\slash"),
    ("two\nlines\r\n# heading", "two lines # heading"),
    (3.5, "3.5"),
])
def test_md_escape(text, escaped):
    assert _md_escape(text) == escaped
