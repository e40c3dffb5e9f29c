"""The markup of a block: what the blog script reads, what a reader without JavaScript sees."""

from html.parser import HTMLParser

from pyrace_writers.block import parse_block, parse_options, split_info
from pyrace_writers.markup import render, script_tag
from pyrace_writers.share import share_link

SITE = "https://example.org/pyrace/"


class Pres(HTMLParser):
    """The text of each <pre> and the attributes of the first few elements, as a browser parses them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.pres: list[tuple[dict, str]] = []
        self.tags: list[tuple[str, dict]] = []
        self.links: list[tuple[str, str]] = []
        self._pre = None
        self._a = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "pre":
            self._pre = (dict(attrs), [])
        if tag == "a":
            self._a = (dict(attrs)["href"], [])

    def handle_endtag(self, tag):
        if tag == "pre":
            self.pres.append((self._pre[0], "".join(self._pre[1])))
            self._pre = None
        if tag == "a":
            self.links.append((self._a[0], "".join(self._a[1])))
            self._a = None

    def handle_data(self, data):
        if self._pre:
            self._pre[1].append(data)
        if self._a:
            self._a[1].append(data)


def parse(info, body):
    options = parse_options(split_info(info, "p.md", 1), "p.md", 1)
    return parse_block(options, body, "p.md", 2, 1)


def test_markup_carries_the_state_and_the_link():
    b = parse('mode=compare cpython=1 title="<b> & co"', "# setup\nx = '<a>'\n# setup: b\ny = 1\n# variant: a\nx < 'b'\n# variant: b\ny & 1")
    page = Pres()
    page.feed(render(b, SITE))
    assert page.tags[0] == ("div", {"class": "pyrace-block"})
    assert page.tags[1] == ("pyrace-compare", {"data-mode": "compare", "data-cpython": "1", "data-title": "<b> & co", "data-highlighted": None})
    # Highlighting only adds spans: each <pre>'s text is the code, exactly.
    assert page.pres == [
        ({"data-setup": None}, "x = '<a>'"),
        ({"data-variant": "a"}, "x < 'b'"),
        ({"data-setup": "b"}, "y = 1"),
        ({"data-variant": "b"}, "y & 1"),
    ]
    assert page.links == [(share_link(SITE, b.state()), "Open in pyrace ↗")]
    assert 'class="k"' in render(parse("", "for i in x:\n  pass"), SITE)


def test_script_tag():
    assert script_tag(SITE) == '<script src="https://example.org/pyrace/embed.js" defer></script>'
