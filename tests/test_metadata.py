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
