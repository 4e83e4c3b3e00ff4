import io
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diurna.ingest import iter_articles
from diurna.records import Article, Failure

WIRE = "date 2025-04-25 Talks resume in Cairo\nEgyptian mediators said on Friday that talks would resume.\n"


def read(*paths, stdin=None, **kw):
    return list(iter_articles([str(p) for p in paths], stdin=stdin, **kw))


def only(results, kind):
    assert len(results) == 1, results
    assert isinstance(results[0], kind), results[0]
    return results[0]


def test_wire_file(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text(WIRE, encoding="utf-8")
    art = only(read(f), Article)
    assert art.date == "2025-04-25"
    assert art.title == "Talks resume in Cairo"
    assert art.text == "Egyptian mediators said on Friday that talks would resume."
    assert art.origin == str(f)
    assert len(art.id) == 16


def test_wire_with_bom_leading_blank_lines_and_crlf(tmp_path):
    f = tmp_path / "b.txt"
    raw = (
        "\ufeff\r\n   \r\n  date 2025-04-25   Talks  resume\tin Cairo \r\n"
        "Line one.\r\n\r\n\r\n\r\nLine  two.\r\n"
    )
    f.write_bytes(raw.encode("utf-8"))
    art = only(read(f), Article)
    assert art.title == "Talks resume in Cairo"
    assert art.text == "Line one.\n\nLine two."


def test_wire_mojibake_in_body_is_fixed(tmp_path):
    f = tmp_path / "m.txt"
    f.write_text("date 2025-04-25 Caf\u00c3\u00a9\nThe caf\u00c3\u00a9 was shelled.", encoding="utf-8")
    art = only(read(f), Article)
    assert art.title == "Café"
    assert art.text == "The café was shelled."


def test_wire_without_title(tmp_path):
    f = tmp_path / "n.txt"
    f.write_text("date 2025-04-25\nBody text here.", encoding="utf-8")
    art = only(read(f), Article)
    assert art.title is None and art.date == "2025-04-25"


def test_folder_recursion_sorted_and_hidden_skipped(tmp_path):
    (tmp_path / "z").mkdir()
    (tmp_path / "a" / "deep").mkdir(parents=True)
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "z" / "1.txt").write_text("date 2025-01-03 Three\nThird.", encoding="utf-8")
    (tmp_path / "a" / "deep" / "2.txt").write_text("date 2025-01-02 Two\nSecond.", encoding="utf-8")
    (tmp_path / "a" / "1.jsonl").write_text(json.dumps({"text": "First.", "date": "2025-01-01"}) + "\n")
    (tmp_path / "a" / ".secret.txt").write_text("date 2025-01-09 Hidden\nNo.", encoding="utf-8")
    (tmp_path / ".hidden" / "x.txt").write_text("date 2025-01-09 Hidden\nNo.", encoding="utf-8")
    (tmp_path / "notes.md").write_text("not an input", encoding="utf-8")
    results = read(tmp_path)
    assert all(isinstance(r, Article) for r in results), results
    assert [r.text for r in results] == ["First.", "Second.", "Third."]
    assert results[0].origin == str(tmp_path / "a" / "1.jsonl") + ":1"


def test_several_paths_and_stdin_in_order(tmp_path):
    a = tmp_path / "a.txt"
    a.write_text("date 2025-02-01 A\nFrom a file.", encoding="utf-8")
    stdin = io.StringIO("\n  date 2025-02-02 B\nFrom stdin.")
    results = read(a, "-", stdin=stdin)
    assert [r.text for r in results] == ["From a file.", "From stdin."]
    assert results[1].origin == "<stdin>"


def test_stdin_jsonl_is_sniffed():
    lines = [{"id": 7, "date": "2025-03-01", "title": "One", "text": "First."}, {"text": "Second."}]
    stdin = io.StringIO("\n".join(json.dumps(x) for x in lines))
    results = read("-", stdin=stdin)
    assert [r.text for r in results] == ["First.", "Second."]
    assert results[0].id == "7"
    assert [r.origin for r in results] == ["<stdin>:1", "<stdin>:2"]


def test_stdin_bytes_buffer_not_utf8():
    class Stdin(io.TextIOWrapper):
        pass

    stdin = Stdin(io.BytesIO(b"date 2025-03-01 T\ncaf\xe9"), encoding="utf-8")
    failure = only(read("-", stdin=stdin), Failure)
    assert failure.code == "E001" and failure.origin == "<stdin>"
    assert "offset 21" in failure.reason


def test_jsonl_nulls_optional_fields_and_datetime(tmp_path):
    f = tmp_path / "in.jsonl"
    rows = [
        {"id": "x1", "date": None, "title": None, "text": "No date, no title."},
        {"date": "2025-04-25T22:30:00+03:00", "title": "  Two\n lines ", "text": "Datetime.",
         "url": "https://example.org/a", "source": "Example News"},
    ]
    f.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n\n", encoding="utf-8")
    first, second = read(f)
    assert first.id == "x1" and first.date is None and first.title is None
    assert second.date == "2025-04-25"
    assert second.title == "Two lines"
    assert second.url == "https://example.org/a" and second.source == "Example News"
    assert second.origin == f"{f}:2"


def test_jsonl_bad_lines_fail_alone(tmp_path):
    f = tmp_path / "mixed.jsonl"
    lines = [
        json.dumps({"text": "Good one."}),
        '{"text": "broken',
        "",
        json.dumps(["a", "list"]),
        json.dumps({"title": "no text"}),
        json.dumps({"text": "Bad date.", "date": "2025-02-30"}),
        json.dumps({"text": "Unparseable date.", "date": "last Tuesday"}),
        json.dumps({"text": "Title not a string.", "title": 5}),
        json.dumps({"text": "Good two."}),
    ]
    f.write_text("\n".join(lines), encoding="utf-8")
    results = read(f)
    good = [r.text for r in results if isinstance(r, Article)]
    bad = {r.origin: r for r in results if isinstance(r, Failure)}
    assert good == ["Good one.", "Good two."]
    assert {o: b.code for o, b in bad.items()} == {
        f"{f}:2": "E005",
        f"{f}:4": "E006",
        f"{f}:5": "E006",
        f"{f}:6": "E007",
        f"{f}:7": "E007",
        f"{f}:8": "E013",
    }
    assert "line 2" in bad[f"{f}:2"].reason
    assert "2025-02-30" in bad[f"{f}:6"].reason


def test_json_array_file(tmp_path):
    f = tmp_path / "arr.json"
    f.write_text(json.dumps([{"text": "One."}, {"nope": 1}]), encoding="utf-8")
    art, failure = read(f)
    assert art.text == "One." and art.origin == f"{f}[0]"
    assert failure.code == "E006" and failure.origin == f"{f}[1]"


def test_every_bad_file_gives_one_failure_and_others_go_on(tmp_path):
    cases = {
        "latin1.txt": ("date 2025-04-25 T\nLe caf\xe9".encode("latin-1"), "E001"),
        "empty.txt": (b"", "E002"),
        "blank.txt": (b"  \n\n \t", "E002"),
        "binary.txt": (b"date 2025-04-25 T\n\x00\x01\x02\x03", "E003"),
        "nodate.txt": (b"Talks resume in Cairo\nBody.", "E004"),
        "baddate.txt": (b"date 2025-13-01 T\nBody.", "E007"),
        "nobody.txt": (b"date 2025-04-25 Title only\n\n", "E011"),
        "big.txt": (b"date 2025-04-25 T\n" + b"word " * 100, "E008"),
    }
    paths = []
    for name, (data, _) in cases.items():
        (tmp_path / name).write_bytes(data)
        paths.append(tmp_path / name)
    good = tmp_path / "good.txt"
    good.write_text("date 2025-04-25 Fine\nShort.", encoding="utf-8")
    missing = tmp_path / "missing.txt"
    results = read(*paths, missing, good, max_chars=100)
    assert len(results) == len(cases) + 2
    for path, result in zip(paths, results, strict=False):
        assert isinstance(result, Failure)
        assert result.origin == str(path)
        assert result.code == cases[path.name][1], (path.name, result)
        assert result.reason
    assert results[-2].code == "E009" and results[-2].origin == str(missing)
    assert isinstance(results[-1], Article) and results[-1].text == "Short."
    latin1 = results[0]
    assert "offset 24" in latin1.reason and "0xe9" in latin1.reason


def test_utf16_file_is_reported_as_not_utf8(tmp_path):
    f = tmp_path / "u16.txt"
    f.write_bytes("date 2025-04-25 T\nBody".encode("utf-16"))
    failure = only(read(f), Failure)
    assert failure.code == "E001" and "UTF-16" in failure.reason


def test_empty_folder_fails(tmp_path):
    (tmp_path / "empty").mkdir()
    failure = only(read(tmp_path / "empty"), Failure)
    assert failure.code == "E012"


def test_ids_stable_across_rereads_and_whitespace(tmp_path):
    a = tmp_path / "a.txt"
    b = tmp_path / "b.txt"
    a.write_text("date 2025-04-25 Talks resume\nMediators met.\nTalks resume.", encoding="utf-8")
    b.write_bytes(b"\n  date 2025-04-25   Talks  resume \r\n  Mediators   met.  \r\nTalks\tresume.\r\n\r\n")
    first = only(read(a), Article)
    again = only(read(a), Article)
    other = only(read(b), Article)
    assert first.id == again.id == other.id
    c = tmp_path / "c.txt"
    c.write_text("date 2025-04-25 Talks resume\nMediators met.\nTalks resumed.", encoding="utf-8")
    assert only(read(c), Article).id != first.id


def test_jsonl_content_id_matches_wire_content_id(tmp_path):
    w = tmp_path / "w.txt"
    w.write_text("date 2025-04-25 Title\nSame text.", encoding="utf-8")
    j = tmp_path / "j.jsonl"
    row = {"date": "2025-04-25", "title": "Title", "text": "Same  text. "}
    j.write_text(json.dumps(row), encoding="utf-8")
    assert only(read(w), Article).id == only(read(j), Article).id


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text())
def test_arbitrary_wire_text_never_raises(tmp_path, text):
    f = tmp_path / "any.txt"
    f.write_text(text, encoding="utf-8", errors="surrogatepass")
    results = read(f)
    assert len(results) == 1
    assert isinstance(results[0], Article | Failure)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary())
def test_arbitrary_bytes_never_raise(tmp_path, data):
    for name in ("any.txt", "any.jsonl", "any.dat"):
        f = tmp_path / name
        f.write_bytes(data)
        results = read(f)
        assert results and all(isinstance(r, Article | Failure) for r in results)
