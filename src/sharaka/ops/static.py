"""Static files in production: hashed names and compressed copies, made by ``collectstatic``
and served by WhiteNoise with far-future caching (ADR 0004, ADR 0015)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import brotli
from whitenoise.compress import Compressor
from whitenoise.storage import CompressedManifestStaticFilesStorage

#: the suffixes of WhiteNoise's compressed copies
COMPRESSED_SUFFIXES = (".br", ".gz")
MTIME_SLACK_S = 0.001
#: Brotli's quality: 11 (WhiteNoise's) took 19 s of CPU for the 3.5 MB of JavaScript of the
#: admin and the API docs, 9 takes 1 s for a file 10 % larger
BROTLI_QUALITY = 9


class _Compressor(Compressor):
    @staticmethod
    def compress_brotli(data: bytes) -> bytes:
        compressed: bytes = brotli.compress(data, quality=BROTLI_QUALITY)
        return compressed


class StaticStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's storage, compressing only the files that have no up-to-date compressed
    copy: ``sharaka serve`` runs ``collectstatic`` at every start, and compressing the
    thousand files of the admin and the API docs again (Brotli at its best level) took a
    minute on the 2-core machine; a hashed name never changes content, and an unhashed one
    that changed has a newer date than its copies. Brotli runs at quality 9, not 11, for
    the same reason."""

    def create_compressor(self, **kwargs: object) -> Compressor:
        return _Compressor(**kwargs)

    def compress_files(self, paths: Iterable[str]) -> Iterator[tuple[str, str]]:
        hashed = set(self.hashed_files.values())
        stale = [path for path in paths if not self._compressed_up_to_date(path, hashed)]
        yield from super().compress_files(stale)

    def _compressed_up_to_date(self, name: str, hashed: set[str]) -> bool:
        path = Path(self.path(name))
        copies = [path.with_name(path.name + suffix) for suffix in COMPRESSED_SUFFIXES]
        if name in hashed:
            # the name holds a hash of the content: a copy made once stays right, even though
            # Django writes CSS and JS files again (with a new date) at every collectstatic
            return any(copy.is_file() for copy in copies)
        try:
            modified = path.stat().st_mtime
        except OSError:
            return False
        # a copy carries its original's date (os.utime, a float: allow for rounding)
        return any(
            copy.is_file() and copy.stat().st_mtime >= modified - MTIME_SLACK_S for copy in copies
        )
