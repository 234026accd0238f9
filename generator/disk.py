"""Writing files so that a failure never leaves half of one: every cache, state and staging write."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

NO_ROOM = frozenset({errno.ENOSPC, errno.EFBIG, errno.EDQUOT})
"""Write errors that mean no room: a full disk, a file size limit (``ulimit -f``), a quota."""


@contextmanager
def replaced(path: Path, mode: str = "wb") -> Iterator[IO]:
    """A temporary file beside ``path``, moved into place once written: ``path`` is whole or untouched.
    A write that fails (a full disk) names ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    encoding = None if "b" in mode else "utf-8"
    with tempfile.NamedTemporaryFile(mode, encoding=encoding, dir=path.parent, delete=False,
                                     prefix=f".{path.name}.", suffix=".tmp") as tmp:
        try:
            yield tmp
            tmp.flush()
        except BaseException as err:
            with contextlib.suppress(OSError):  # closing flushes what is buffered: on a full disk, fails again
                tmp.close()
            os.unlink(tmp.name)
            if isinstance(err, OSError) and err.filename is None:
                raise OSError(err.errno, err.strerror, str(path)) from err
            raise
    os.replace(tmp.name, path)
