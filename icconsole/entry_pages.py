"""Timeline rows read from the store a page at a time, with a small LRU of pages: what
line-API lists of a huge timeline draw from."""

from __future__ import annotations

from collections import OrderedDict

from icconsole.store import EntryRow, Store

PAGE_SIZE = 64
MAX_PAGES = 32


class EntryPages:
    """Rows of one incident's timeline in time order, fetched by page on first use."""

    def __init__(self, store: Store, incident_id: str) -> None:
        self.store = store
        self.incident_id = incident_id
        self._pages: OrderedDict[int, list[EntryRow]] = OrderedDict()

    def row(self, index: int, count: int) -> EntryRow | None:
        """The row at `index` of `count` rows; pages near the end are read from the end,
        where SQLite walks fewer rows."""
        page, slot = divmod(index, PAGE_SIZE)
        rows = self._pages.get(page)
        if rows is None:
            start = page * PAGE_SIZE
            end = min(count, start + PAGE_SIZE)
            if count - end < start:
                rows = self.store.entry_rows(
                    self.incident_id, count - end, end - start, from_end=True
                )
            else:
                rows = self.store.entry_rows(self.incident_id, start, end - start)
            self._pages[page] = rows
            if len(self._pages) > MAX_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page)
        return rows[slot] if slot < len(rows) else None

    def cached(self, page: int) -> list[EntryRow] | None:
        """A page's rows if they are in the cache, without reading or reordering."""
        return self._pages.get(page)

    def clear(self) -> None:
        self._pages.clear()

    def drop_from(self, index: int) -> None:
        """Forget the page holding `index` and every later one (rows were appended there)."""
        first = index // PAGE_SIZE
        for page in [page for page in self._pages if page >= first]:
            del self._pages[page]
