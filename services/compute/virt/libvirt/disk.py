"""qemu-img: overlays on cached base images, resizing, converting, inspecting."""
import json
import subprocess

from common import exceptions

QEMU_IMG = "qemu-img"
GiB = 1 << 30


def _run(*args: str) -> str:
    try:
        result = subprocess.run([QEMU_IMG, *args], check=True, capture_output=True,
                                text=True, stdin=subprocess.DEVNULL, timeout=600)
    except subprocess.CalledProcessError as error:
        raise exceptions.StratoError(f"qemu-img {args[0]} failed: "
                                     f"{error.stderr.strip()}") from error
    return result.stdout


def info(path: str) -> dict:
    """qemu-img info of a file (format, virtual-size, backing-filename, ...).

    -U: the file may be open by a running guest.
    """
    return json.loads(_run("info", "-U", "--output=json", path))


def create_overlay(base: str, base_format: str, path: str, size_bytes: int | None) -> None:
    """A qcow2 file whose reads fall through to ``base`` (never written)."""
    args = ["create", "-q", "-f", "qcow2", "-b", base, "-F", base_format, path]
    if size_bytes:
        args.append(str(size_bytes))
    _run(*args)


def rebase(path: str, base: str, base_format: str) -> None:
    """Point an overlay at another copy of its base (unsafe: the content is the
    same, only the path differs, as on another host's image cache)."""
    _run("rebase", "-q", "-u", "-b", base, "-F", base_format, path)


def create_blank(path: str, size_bytes: int) -> None:
    _run("create", "-q", "-f", "qcow2", path, str(size_bytes))


def resize(path: str, size_bytes: int) -> None:
    """Grow a disk; never shrinks (a smaller size is ignored)."""
    if info(path)["virtual-size"] < size_bytes:
        _run("resize", "-q", path, str(size_bytes))


def convert(src: str, dest: str, dest_format: str) -> None:
    """A standalone copy of ``src`` (backing chain flattened) in ``dest_format``."""
    _run("convert", "-U", "-O", dest_format, src, dest)
