"""The serial console log of a guest (os-getConsoleOutput)."""
import os

# Like Nova: the API returns at most the last 100 KiB of the log.
MAX_BYTES = 100 * 1024


def tail(path: str, max_bytes: int = MAX_BYTES) -> str:
    """The end of the log (empty if the guest never wrote one)."""
    try:
        with open(path, "rb") as log:
            size = os.fstat(log.fileno()).st_size
            log.seek(max(0, size - max_bytes))
            data = log.read()
    except FileNotFoundError:
        return ""
    if len(data) == max_bytes and b"\n" in data:
        data = data[data.index(b"\n") + 1:]  # do not start in the middle of a line
    return data.decode("utf-8", errors="replace")
