"""Parsing the aligned tables that strato-manage prints (services.manage.table)."""
import re


def parse(text: str) -> list[dict[str, str]]:
    """Rows of a table as dicts keyed by header; columns are cut at the header's offsets."""
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return []
    header, *rows = lines
    # Headers are separated by at least two spaces ("Last Heartbeat" has one).
    columns = re.split(r"\s{2,}", header.strip())
    starts = [header.index(column) for column in columns]
    ends = [*starts[1:], None]
    return [{column: row[start:end].strip()
             for column, start, end in zip(columns, starts, ends, strict=True)}
            for row in rows]
