"""Read an HTML report (ours or Chromium's --dump-dom) back: heatmap cells, scripts, external links."""
from __future__ import annotations

from html.parser import HTMLParser


class ReportDom(HTMLParser):
    def __init__(self, page: str) -> None:
        super().__init__()
        self.cells: list[dict[str, str | None]] = []   # heatmap <td data-table ...> attributes
        self.scripts = 0
        self.external: list[str] = []                   # src/href that leave the page
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "td" and "data-table" in a:
            self.cells.append(a)
        if tag == "script":
            self.scripts += 1
        for key in ("src", "href"):
            if a.get(key) and not a[key].startswith("#"):
                self.external.append(a[key])
