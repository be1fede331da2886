"""The committed e2e fixture pages are the generator's output, byte for byte (regenerate with
`python tests/e2e/make_pages.py`), so a page can never drift from the notes-derived source."""

from tests.e2e import make_pages


def test_committed_pages_match_the_generator():
    files = make_pages.page_files()
    committed = {str(p.relative_to(make_pages.PAGES)) for p in make_pages.PAGES.rglob("*") if p.is_file()}
    assert committed == set(files)
    for name, text in files.items():
        assert (make_pages.PAGES / name).read_text(encoding="utf-8") == text, name
