"""An article's text as escaped HTML with its records highlighted by their character offsets.

Spans nest where the records nest (a mention inside a quote); where two records cross, the inner
one is closed and opened again, so the HTML is always well formed.  Every piece of text and every
attribute value goes through :func:`markupsafe.escape`.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

from diurna.records import Extraction

#: outer first when two records cover the same characters
KIND_RANK = {"segment": 0, "post": 1, "quote": 2, "event": 3, "entity": 4, "place": 5}


@dataclass(frozen=True)
class Annotation:
    kind: str
    start: int
    end: int
    ann: str  # shared by every span of one record (data-ann), for linking the side panel
    label: str
    dir: str | None = None
    lang: str | None = None

    def open_tag(self, continued: bool = False) -> str:
        attrs = [f'class="hl hl-{self.kind}{" hl-cont" if continued else ""}"', f'data-ann="{escape(self.ann)}"',
                 f'data-kind="{self.kind}"']
        if self.label:
            attrs.append(f'title="{escape(self.label)}"')
        if self.dir:
            attrs.append(f'dir="{self.dir}"')
        if self.lang:
            attrs.append(f'lang="{escape(self.lang)}"')
        return f"<span {' '.join(attrs)}>"


def annotations(x: Extraction) -> list[Annotation]:
    """Every highlightable span of the extraction (Arabic segments become right-to-left spans)."""
    out: list[Annotation] = []
    for i, seg in enumerate(x.segments):
        if seg.script == "arabic":
            out.append(Annotation("segment", seg.start, seg.end, f"seg-{i}", "", dir="rtl", lang=seg.language or "ar"))
    for i, post in enumerate(x.posts):
        label = f"{post.platform} post" + (f" by {post.handle or post.author}" if post.handle or post.author else "")
        out.append(Annotation("post", post.start, post.end, f"post-{i}", label, dir="auto"))
    for q in x.quotes:
        out.append(Annotation("quote", q.start, q.end, f"q-{q.id}", f"quote: {q.speaker_name or 'unknown speaker'}",
                              dir="auto"))
    for ev in x.events:
        label = f"{ev.event_type}" + (f" ({', '.join(ev.aux)})" if ev.aux else "")
        out.append(Annotation("event", ev.evidence.trigger_start, ev.evidence.trigger_end, f"ev-{ev.id}", label))
    for ent in x.entities:
        for m in ent.mentions:
            out.append(Annotation("entity", m.start, m.end, f"ent-{ent.id}", f"{ent.name} ({ent.type})", dir="auto",
                                  lang=m.lang if m.lang != "en" else None))
    for place in x.places:
        for m in place.mentions:
            out.append(Annotation("place", m.start, m.end, f"pl-{place.id}", f"place: {place.name}", dir="auto"))
    n = len(x.text)
    return [a for a in out if 0 <= a.start < a.end <= n]


def highlight(x: Extraction) -> Markup:
    """The article text as HTML with nested ``<span class="hl hl-KIND" data-ann=...>`` highlights."""
    text = x.text
    anns = sorted(annotations(x), key=lambda a: (a.start, -a.end, KIND_RANK[a.kind]))
    starts: dict[int, list[Annotation]] = {}
    for a in anns:
        starts.setdefault(a.start, []).append(a)
    bounds = sorted({0, len(text), *(a.start for a in anns), *(a.end for a in anns)})
    html: list[str] = []
    stack: list[Annotation] = []
    last = 0
    for pos in bounds:
        if pos > last:
            html.append(str(escape(text[last:pos])))
            last = pos
        if any(a.end == pos for a in stack):
            reopen: list[Annotation] = []
            while any(a.end == pos for a in stack):
                top = stack.pop()
                html.append("</span>")
                if top.end != pos:
                    reopen.append(top)
            for a in reversed(reopen):
                html.append(a.open_tag(continued=True))
                stack.append(a)
        for a in starts.get(pos, []):
            html.append(a.open_tag())
            stack.append(a)
    html.extend("</span>" for _ in stack)
    return Markup("".join(html))
