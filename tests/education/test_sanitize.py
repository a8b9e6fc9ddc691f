import re
from html.parser import HTMLParser

import nh3
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from education.sanitize import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, render_markdown

# (markdown, text that must not survive, what the editor is told was removed)
CORPUS = [
    ("<script>alert(1)</script>hello", "alert(1)", "<script>"),
    ("<SCRIPT SRC=//evil.example/x.js></SCRIPT>", "evil.example", "<script>"),
    ('<img src="x.png" onerror="alert(1)">', "onerror", "<img onerror>"),
    ('<a href="#" onclick="steal()">x</a>', "onclick", "<a onclick>"),
    ("[click](javascript:alert(1))", "javascript:", "<a href=javascript:alert(1)>"),
    ('<a href="JaVaScRiPt:alert(1)">x</a>', "alert", "<a href=JaVaScRiPt:alert(1)>"),
    ('<a href="java&#x09;script:alert(1)">x</a>', "alert(1)", "<a href=java\tscript:alert(1)>"),
    ('<a href="vbscript:msgbox(1)">x</a>', "vbscript", "<a href=vbscript:msgbox(1)>"),
    ('<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>', "data:", "<a href=data:"),
    ('<iframe src="https://evil.example"></iframe>', "evil.example", "<iframe>"),
    ('<svg onload="alert(1)"><script>alert(2)</script></svg>', "alert", "<svg>"),
    ("<svg><a href='javascript:alert(1)'>x</a></svg>", "javascript", "<svg>"),
    ('<object data="x.swf"></object>', "x.swf", "<object>"),
    ('<embed src="x.swf">', "x.swf", "<embed>"),
    ("<style>body{display:none}</style>", "display:none", "<style>"),
    ('<p style="position:fixed;top:0">x</p>', "position:fixed", "<p style>"),
    ('<form action="https://evil.example"><input name=p></form>', "evil.example", "<form>"),
    ('<img src="data:image/png;base64,' + "A" * 5000 + '">', "AAAA", "<img src=data:"),
    ('<img src="huge.png" width="100000" height="100000">', "100000", "<img width>"),
    ('<h2 id="main">Clobber</h2>', 'id="main"', "<h2 id=main>"),
    ('<meta http-equiv="refresh" content="0;url=https://evil.example">', "evil.example", "<meta>"),
    ("<!-- <script>alert(1)</script> -->", "alert", None),
    ('<math><mi xlink:href="javascript:alert(1)">x</mi></math>', "javascript", "<math>"),
    ('<base href="https://evil.example/">', "evil.example", "<base>"),
]


@pytest.mark.parametrize(("source", "forbidden", "reported"), CORPUS)
def test_bad_markup_is_neutralised_and_reported(source, forbidden, reported):
    # given an editor's Markdown with something dangerous
    # when it is rendered
    result = render_markdown(source)
    # then the dangerous part is gone and the editor is told what was removed
    assert forbidden.lower() not in result.html.lower()
    if reported is not None:
        assert any(item.startswith(reported) for item in result.removed), result.removed


def test_ordinary_markdown_survives_with_heading_anchors():
    # given a guide with sections, a list, a link and a phone number
    source = (
        "## Hak Anda\n\nBaca [UU 18/2017](https://peraturan.go.id/id/uu-no-18-tahun-2017).\n\n"
        "- satu\n- dua\n\n## Nomor penting\n\nHubungi [0800-1000](tel:08001000)."
    )
    # when rendered
    result = render_markdown(source)
    # then structure, links and anchors are kept and nothing is reported
    assert result.removed == []
    assert '<h2 id="h-hak-anda">Hak Anda</h2>' in result.html
    assert 'href="https://peraturan.go.id/id/uu-no-18-tahun-2017"' in result.html
    assert 'href="tel:08001000"' in result.html
    assert "<li>dua</li>" in result.html
    assert result.headings == [("h-hak-anda", "Hak Anda"), ("h-nomor-penting", "Nomor penting")]


def test_headings_are_read_back_from_stored_html():
    from education.sanitize import headings_of

    html = render_markdown("## Satu *dua*\n\nteks\n\n### Kecil\n\n## Tiga").html
    assert headings_of(html) == [("h-satu-dua", "Satu dua"), ("h-tiga", "Tiga")]


def test_guide_images_get_phone_sizes_and_load_lazily():
    result = render_markdown("![Peta](gambar:peta-jalur)")
    assert 'loading="lazy"' in result.html
    assert 'alt="Peta"' in result.html
    assert 'src="/panduan/gambar/peta-jalur-720.webp"' in result.html
    assert "/panduan/gambar/peta-jalur-360.webp 360w" in result.html
    assert 'sizes="' in result.html
    assert result.removed == []


@pytest.mark.parametrize(
    "source",
    ["![x](https://evil.example/big.png)", "![x](/static/a.png)", '<img src="//evil.example/a">'],
)
def test_images_from_elsewhere_are_dropped_whole(source):
    result = render_markdown(source)
    assert "<img" not in result.html
    assert any(item.startswith("<img src=") for item in result.removed)


class _TagCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))


FORCED = {"img": {"loading", "decoding", "srcset", "sizes"}, "a": {"rel"}}
HOSTILE = st.sampled_from(
    [
        "<script>", "</script>", "<img src=x onerror=alert(1)>", "javascript:", "[a](javascript:x)",
        "<svg onload=x>", "<iframe>", "<a href='", "'>", '"', "<", ">", "&", "on", "=", "\n\n",
        "## ", "<style>", "<!--", "-->", "<h2 id=x>", "`", "*", "data:", "<p style=x>",
    ]
)  # fmt: skip
MARKDOWNISH = st.lists(st.one_of(HOSTILE, st.text(max_size=20)), max_size=30).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(source=MARKDOWNISH)
def test_any_input_renders_to_allowlisted_markup_only(source):
    # given any text, including fragments of attacks
    # when rendered
    html = render_markdown(source).html
    # then only allowlisted tags and attributes remain, with no script-capable URL
    collector = _TagCollector()
    collector.feed(html)
    for tag, attrs in collector.found:
        assert tag in ALLOWED_TAGS
        for name, value in attrs:
            assert name in ALLOWED_ATTRIBUTES.get(tag, set()) | FORCED.get(tag, set())
            if name in {"href", "src"}:
                assert not re.match(r"\s*(javascript|vbscript|data):", value or "", re.I)
            if name == "id":
                assert value.startswith("h-")
    # and cleaning again changes nothing (the output is a fixed point of the sanitiser)
    assert (
        nh3.clean(
            html,
            tags=ALLOWED_TAGS,
            attributes={
                **ALLOWED_ATTRIBUTES,
                "img": ALLOWED_ATTRIBUTES["img"] | FORCED["img"],
                "a": ALLOWED_ATTRIBUTES["a"] | {"rel"},
            },
            link_rel=None,
        )
        == html
    )
