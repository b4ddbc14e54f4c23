"""The notice is rendered from text: headings, lists, bold and real links; never raw HTML."""

from __future__ import annotations

from pupil_privacy.plugin.notice_store import default_notice_text, render_notice, summary


def test_markup_in_a_published_notice_is_escaped() -> None:
    html = str(
        render_notice('Contact us\n\n<script>alert("x")</script> and [click](javascript:evil)')
    )
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "javascript:" not in html.split("click")[0] and 'href="javascript' not in html


def test_the_shipped_notice_renders_its_structure() -> None:
    html = str(render_notice(default_notice_text()))
    assert "<h2>Youth support services</h2>" in html
    assert html.count("<li>") > 30
    assert '<a href="https://ico.org.uk/concerns/" rel="noopener">' in html
    assert "[National Pupil Database](#)" not in html  # placeholder links keep only the words
    assert "Youth support services" in summary(default_notice_text(), limit=20)
