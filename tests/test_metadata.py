from pathlib import Path

from bot.metadata import ArticleMeta, load_metadata, parse_metadata


def test_rows_and_problems():
    table = parse_metadata(
        "file,published,source,title,url,author,colour\n"
        "a.txt,2017-10-26,AP,,,,red\n"
        "b.txt,26/10/2017,,T,,,\n"
        ",2017-01-01,,,,,\n"
        "sub\\c.txt,2017-10-26T14:05:00+03:00,,,,,\n"
    )
    assert table.for_file("a.txt") == ArticleMeta(published="2017-10-26", source="AP")
    assert table.for_file("b.txt") == ArticleMeta(title="T")  # bad date dropped, the rest kept
    assert table.for_file("sub/c.txt").published == "2017-10-26"
    assert table.for_file("unknown.txt") == ArticleMeta()
    joined = "\n".join(table.problems)
    assert "colour" in joined and "26/10/2017" in joined and "no file name" in joined


def test_header_without_file_column_applies_nothing():
    table = parse_metadata("name,published\na.txt,2017-01-01\n")
    assert table.rows == {} and "no 'file' column" in table.problems[0]


def test_metadata_fingerprint_changes_with_any_field():
    assert ArticleMeta(published="2017-01-01").fingerprint() != ArticleMeta(published="2017-01-02").fingerprint()


def test_undecodable_metadata_file_is_reported(tmp_path):
    (tmp_path / "metadata.csv").write_bytes(b"file,published\n\xff\xfe\x00bad")
    table = load_metadata(tmp_path)
    assert table.rows == {} and "cannot be read" in table.problems[0]


def test_a_stray_quotation_mark_costs_only_its_row():
    table = parse_metadata(
        "file,published,source,title\n"
        'a.txt,2017-01-01,AP,"Kurds vote\n'  # the quoted title never closes
        "b.txt,2017-01-02,,\n"
        'c.txt,2017-01-03,,"A ""quoted"" title"\n'
    )
    assert set(table.rows) == {"b.txt", "c.txt"}
    assert table.for_file("c.txt").title == 'A "quoted" title'
    assert table.problems == [
        "metadata.csv line 2: a quotation mark opens a field that does not end on this line "
        "(fields cannot span lines); row ignored"
    ]


def test_an_overlong_row_costs_only_its_row():
    # Past 128 KB in one field the csv module raised "field larger than field limit", and nothing was ingested.
    table = parse_metadata(f"file,title\na.txt,{'x' * 200_000}\nb.txt,Fine\n" + f'c.txt,"{"y" * 200_000}\n')
    assert set(table.rows) == {"b.txt"}
    assert [p.split(":")[0] for p in table.problems] == ["metadata.csv line 2", "metadata.csv line 4"]
    assert "over the limit of 10,000" in table.problems[0]


def test_a_row_with_too_many_fields_is_reported():
    table = parse_metadata("file,published,title\na.txt,2017-01-01,Iraq, Iran talk\nb.txt,2017-01-02,T,,\n")
    assert set(table.rows) == {"b.txt"}  # empty extra cells are harmless
    assert table.problems == [
        "metadata.csv line 2: 4 fields but the header has 3 (a comma in an unquoted field?); row ignored"
    ]


def test_file_names_outside_the_folder_are_reported():
    table = parse_metadata(
        "file,published\n"
        "../x.txt,2017-01-01\n"
        "sub/../../y.txt,2017-01-01\n"
        "/etc/z.txt,2017-01-01\n"
        "C:\\docs\\w.txt,2017-01-01\n"
        "nul\x00.txt,2017-01-01\n"
        "./sub//ok.txt,2017-01-01\n"
    )
    assert set(table.rows) == {"sub/ok.txt"}
    assert [p.split(":")[0] for p in table.problems] == [f"metadata.csv line {n}" for n in range(2, 7)]
    assert "outside the archive folder" in table.problems[0] and "outside the archive folder" in table.problems[1]
    assert "absolute path" in table.problems[2] and "absolute path" in table.problems[3]
    assert "NUL" in table.problems[4]


def test_rows_naming_no_file_of_the_archive_are_reported_with_their_line():
    table = parse_metadata("file,published\n\nb.txt,2017-01-02\na.txt,2017-01-01\nsub/c.txt,2017-01-03\n")
    assert table.unused({"a.txt", "sub/c.txt", "other.txt"}) == [
        "metadata.csv line 3: names file b.txt, which is not in the archive; row ignored"
    ]
    assert table.unused(set()) == [
        f"metadata.csv line {n}: names file {name}, which is not in the archive; row ignored"
        for n, name in [(3, "b.txt"), (4, "a.txt"), (5, "sub/c.txt")]
    ]
    assert load_metadata(Path("/nonexistent")).unused({"a.txt"}) == []
