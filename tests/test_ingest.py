from cronaca.ingest import ReadError, read_paths
from cronaca.model import Article

HTML = """<html><head><title>Putin a Pyongyang</title>
<meta property="article:published_time" content="2024-06-20T08:00:00Z"></head>
<body><nav>Menu Home Sport</nav><article><h1>Putin a Pyongyang</h1>
<p>Il 19 giugno 2024 il presidente russo Vladimir Putin e il leader nordcoreano Kim Jong Un hanno firmato a Pyongyang un trattato di partenariato strategico globale.</p>
<p>Putin è arrivato nella capitale nordcoreana nelle prime ore del mattino ed è stato accolto da Kim all'aeroporto.</p>
<script>alert('x')</script></article><footer>Copyright</footer></body></html>"""


def test_html_is_reduced_to_article_text_with_metadata(tmp_path, pipeline):
    f = tmp_path / "putin.html"
    f.write_text(HTML)
    (art,) = list(read_paths([f]))
    assert isinstance(art, Article)
    assert "firmato a Pyongyang" in art.text and "alert" not in art.text and "Copyright" not in art.text
    assert art.title == "Putin a Pyongyang" and art.pub_date == "2024-06-20" and art.doc_id == "putin"
    events = pipeline.extract(art)
    assert any(e.event == "SUPPORT" for e in events)
    for e in events:  # offsets refer to the extracted text, which is what the store keeps
        assert art.text[e.start : e.end] == e.evidence


def test_folders_are_read_recursively_and_missing_paths_reported(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "x.txt").write_text("Il presidente russo ha parlato.")
    (tmp_path / "a" / "ignored.pdf").write_bytes(b"%PDF")
    items = list(read_paths([tmp_path / "a", tmp_path / "nope"]))
    assert [type(i).__name__ for i in items] == ["Article", "ReadError"]
    assert isinstance(items[1], ReadError) and items[1].reason == "no such file or folder"


def test_jsonl_fields_are_kept(tmp_path):
    f = tmp_path / "x.jsonl"
    f.write_text('{"doc_id": 7, "text": "Testo.", "title": "T", "lang": "it", "pub_date": "2024-01-02", '
                 '"url": "https://example.org/a", "outlet": "Ex"}\n')
    (a,) = list(read_paths([f]))
    assert (a.doc_id, a.title, a.lang, a.pub_date, a.url, a.outlet) == ("7", "T", "it", "2024-01-02",
                                                                        "https://example.org/a", "Ex")
