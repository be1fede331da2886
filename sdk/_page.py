"""One page of a list route, and the iterators that walk every page by cursor."""
from __future__ import annotations

from typing import Any, AsyncIterator, Awaitable, Callable, Generator, Iterator, List, Optional, TypeVar

from ._core import Call, ResponseMeta

T = TypeVar("T")


class Page(List[T]):
    """A list of items from one answer, with ``next_cursor`` (``None`` on the last page) and
    ``meta`` (request id and response headers of that answer)."""

    def __init__(self, items: List[T], next_cursor: Optional[str], meta: Optional[ResponseMeta] = None) -> None:
        super().__init__(items)
        self.next_cursor: Optional[str] = next_cursor
        self.meta: Optional[ResponseMeta] = meta


PageFlow = Callable[[Optional[str]], Generator[Call, Any, Page[T]]]


def iterate(drive: Callable[[Generator[Call, Any, Page[T]]], Page[T]], flow: PageFlow[T]) -> Iterator[T]:
    """Every item of every page, fetching the next page only when the previous one is used up."""
    cursor: Optional[str] = None
    while True:
        page = drive(flow(cursor))
        yield from page
        if not page.next_cursor or not page:
            return
        cursor = page.next_cursor


async def aiterate(drive: Callable[[Generator[Call, Any, Page[T]]], Awaitable[Page[T]]],
                   flow: PageFlow[T]) -> AsyncIterator[T]:
    """The async form of :func:`iterate` (``async for``)."""
    cursor: Optional[str] = None
    while True:
        page = await drive(flow(cursor))
        for item in page:
            yield item
        if not page.next_cursor or not page:
            return
        cursor = page.next_cursor
