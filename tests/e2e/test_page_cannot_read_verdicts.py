"""What a hostile site can read of Kindshield's verdicts in its own DOM: after the real extension
blurred its abusive comments, no element carries a score or a reason attribute (they stay in the
content script's memory), so the page cannot harvest which comments were judged how."""
from __future__ import annotations

from .test_blur import wait_processed

ATTRS_JS = """() => {
    const out = [];
    const walk = (root) => { for (const el of root.querySelectorAll('*')) {
        for (const a of el.getAttributeNames()) if (a.startsWith('data-ks-')) out.push(a);
        if (el.shadowRoot) walk(el.shadowRoot);
    } };
    walk(document);
    return [...new Set(out)].sort();
}"""


def test_no_scores_or_reasons_in_the_page_dom(model_separates, ext):
    page = ext.open("bilibili.html")
    wait_processed(page)
    attrs = page.evaluate(ATTRS_JS)
    assert "data-ks-ui" in attrs                      # the labels are there ...
    assert "data-ks-score" not in attrs and "data-ks-reason" not in attrs, attrs   # ... the verdicts are not
