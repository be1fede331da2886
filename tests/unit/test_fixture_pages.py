"""The committed e2e fixture pages are the generator's output, byte for byte (regenerate with
`python tests/e2e/make_pages.py`), so a page can never drift from the notes-derived source.

pages/custom/ is the exception: the fallback reader's pages (issue 32) are written by hand, apart
from both the generator and the fallback's code (their README says so), so the generator owns
every page except those."""

from tests.e2e import make_pages

HAND_WRITTEN = "custom"


def test_committed_pages_match_the_generator():
    files = make_pages.page_files()
    committed = {str(p.relative_to(make_pages.PAGES)) for p in make_pages.PAGES.rglob("*")
                 if p.is_file() and p.relative_to(make_pages.PAGES).parts[0] != HAND_WRITTEN}
    assert committed == set(files)
    for name, text in files.items():
        assert (make_pages.PAGES / name).read_text(encoding="utf-8") == text, name


def test_hand_written_pages_are_not_generated():
    assert not any(name.startswith(HAND_WRITTEN + "/") for name in make_pages.page_files())
    assert (make_pages.PAGES / HAND_WRITTEN / "README.md").is_file()
