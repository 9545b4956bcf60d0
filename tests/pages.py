"""Read a page as a person does: its visible text, links, buttons and form controls, not
its markup."""

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
UNSEEN = {"head", "script", "style", "template"}
# Elements that start on a line of their own: their words never run into their neighbours'.
BLOCKS = {"br", "div", "form", "h1", "h2", "h3", "h4", "h5", "h6", "li", "p", "section", "td"}
BLOCKS |= {"th", "tr", "ul", "ol", "button", "label", "nav", "main", "header", "footer"}
BLOCKS |= {"dl", "dt", "dd"}


@dataclass
class Screen:
    # The visible text, its white space collapsed.
    text: str
    # Link text -> address.
    links: dict[str, str] = field(default_factory=dict)
    # Button label -> whether it can be pressed.
    buttons: dict[str, bool] = field(default_factory=dict)
    # Checkbox label -> whether it is ticked.
    checkboxes: dict[str, bool] = field(default_factory=dict)
    # Each form's attributes: where and how it posts.
    forms: list[dict[str, str]] = field(default_factory=list)


# `next` values a form may carry that no view may follow: another site, a bare word that
# `redirect()` would take for a view name, a line break that cannot go in a header.
UNFOLLOWABLE_NEXTS = [
    "https://evil.example/",
    "//evil.example/",
    "abc",
    "/plans/\r\nSet-Cookie: x=1",
    "javascript:alert(1)",
]


def screen(response_or_html) -> Screen:
    html = getattr(response_or_html, "content", response_or_html)
    if isinstance(html, bytes):
        html = html.decode()
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return Screen(
        text=" ".join("".join(reader.text).split()),
        links=reader.links,
        buttons=reader.buttons,
        checkboxes=reader.checkboxes,
        forms=reader.forms,
    )


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.links: dict[str, str] = {}
        self.buttons: dict[str, bool] = {}
        self.checkboxes: dict[str, bool] = {}
        self.forms: list[dict[str, str]] = []
        self._open: list[tuple[str, dict, list[str]]] = []
        self._hidden_depth: int | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in BLOCKS:
            self.handle_data(" ")
        if tag == "form" and self._hidden_depth is None:
            self.forms.append(attrs)
        if tag in VOID:
            self.handle_startendtag(tag, attrs.items())
            return
        self._open.append((tag, attrs, []))
        if self._hidden_depth is None and (tag in UNSEEN or "hidden" in attrs):
            self._hidden_depth = len(self._open)

    def handle_startendtag(self, tag, attrs):
        if self._hidden_depth is None:
            self._control(tag, dict(attrs), "")

    def handle_endtag(self, tag):
        if tag in BLOCKS:
            self.handle_data(" ")
        while self._open:
            name, attrs, words = self._open.pop()
            if self._hidden_depth is not None and len(self._open) < self._hidden_depth:
                self._hidden_depth = None
            elif self._hidden_depth is None:
                self._control(name, attrs, " ".join("".join(words).split()))
            if name == tag:
                break

    def handle_data(self, data):
        if self._hidden_depth is not None:
            return
        self.text.append(data)
        for _, _, words in self._open:
            words.append(data)

    def _control(self, tag, attrs, words):
        label = attrs.get("aria-label") or words
        role = attrs.get("role")
        if role == "checkbox":
            self.checkboxes[label] = attrs.get("aria-checked") == "true"
        elif tag == "a" and "href" in attrs:
            self.links[label] = attrs["href"]
        elif tag == "button" or (tag == "input" and attrs.get("type") == "submit"):
            self.buttons[label or attrs.get("value", "")] = "disabled" not in attrs


def swapped_regions(response) -> dict[str, Screen]:
    """An htmx answer's out-of-band regions, by the id of the element each one replaces."""
    html = response.content.decode()
    finder = _RegionFinder()
    finder.feed(html)
    finder.close()
    lines = [0]
    for line in html.splitlines(keepends=True):
        lines.append(lines[-1] + len(line))
    return {
        region_id: screen(html[lines[start[0] - 1] + start[1] : lines[end[0] - 1] + end[1]])
        for region_id, start, end in finder.regions
    }


class _RegionFinder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.regions: list[tuple[str, tuple[int, int], tuple[int, int]]] = []
        self._depth = 0
        self._current: tuple[str, tuple[int, int]] | None = None

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        attrs = dict(attrs)
        if self._depth == 0 and attrs.get("hx-swap-oob") == "true":
            self._current = (attrs["id"], self.getpos())
        self._depth += 1

    def handle_endtag(self, tag):
        self._depth -= 1
        if self._depth == 0 and self._current is not None:
            line, column = self.getpos()
            region_id, start = self._current
            self.regions.append((region_id, start, (line, column + len(f"</{tag}>"))))
            self._current = None


def visible_text(page) -> str:
    """The page's text with runs of white space as one space."""
    return screen(page).text


def links(page) -> dict[str, str]:
    """Each link's text (or aria-label) → where it goes."""
    return screen(page).links


class _ControlReader(HTMLParser):
    """The page's inputs, text areas, selects and buttons with their attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.controls: list[dict[str, str | None]] = []
        self._textarea: dict | None = None

    def handle_starttag(self, tag, attrs):
        if tag in ("input", "textarea", "select", "button"):
            self.controls.append({"tag": tag, **dict(attrs)})
        if tag == "textarea":
            self._textarea = self.controls[-1]
            self._textarea["value"] = ""

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            # Browsers drop one line break right after <textarea>, as Django writes it.
            value = self._textarea["value"]
            self._textarea["value"] = value[1:] if value.startswith("\n") else value
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["value"] += data


def all_controls(page) -> list[dict[str, str | None]]:
    """Every input, text area, select and button of the page, in order."""
    html = getattr(page, "content", page)
    reader = _ControlReader()
    reader.feed(html.decode() if isinstance(html, bytes) else html)
    return reader.controls


def controls(page, name: str) -> list[dict[str, str | None]]:
    """The inputs, text areas and selects named `name`, each as its tag and attributes; a
    text area's `value` is what it holds."""
    html = getattr(page, "content", page)
    reader = _ControlReader()
    reader.feed(html.decode() if isinstance(html, bytes) else html)
    return [control for control in reader.controls if control.get("name") == name]
