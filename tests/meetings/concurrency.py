"""Many members casting at the same moment: the scenario, run in threads.

Used in process against PostgreSQL, and as a script against a SQLite *file* database (the
in-memory test database of SQLite is not shared between threads the way a file is):

    DATABASE_URL=sqlite:////tmp/x.sqlite3 python -m tests.meetings.concurrency cast MOTION USER...
"""

from __future__ import annotations

import json
import os
import sys
import threading
from collections import Counter
from typing import Any


def cast_all(
    motion_id: int, user_ids: list[int], *, attempts: int = 2, close_by: int | None = None
) -> dict[str, Any]:
    """Every user casts ``attempts`` ballots at once (after a barrier); with ``close_by``,
    that user closes the vote meanwhile. Returns what happened and what was stored."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from sharaka.core.errors import DomainError
    from sharaka.meetings import services
    from sharaka.meetings.models import Ballot, Motion

    users = get_user_model()
    parties = len(user_ids) + (1 if close_by is not None else 0)
    barrier = threading.Barrier(parties)
    outcomes: list[str] = []
    lock = threading.Lock()

    def note(value: str) -> None:
        with lock:
            outcomes.append(value)

    def load(user_id: int) -> tuple[Any, Any]:
        user = users.objects.get(pk=user_id)
        motion = Motion.objects.select_related("item__meeting__partnership").get(pk=motion_id)
        return user, motion

    def voter(user_id: int) -> None:
        try:
            user, motion = load(user_id)
            barrier.wait(timeout=60)
            for _ in range(attempts):
                try:
                    services.ballot_cast(
                        by=user, motion=motion, choice="yes" if user_id % 2 else "no"
                    )
                    note("ok")
                except DomainError as error:
                    note(error.code)
        except Exception as error:
            note(f"error: {type(error).__name__}: {error}")
        finally:
            connection.close()

    def closer(user_id: int) -> None:
        try:
            user, motion = load(user_id)
            barrier.wait(timeout=60)
            services.motion_close(by=user, motion=motion)
            note("closed")
        except Exception as error:
            note(f"error: {type(error).__name__}: {error}")
        finally:
            connection.close()

    threads = [threading.Thread(target=voter, args=(uid,)) for uid in user_ids]
    if close_by is not None:
        threads.append(threading.Thread(target=closer, args=(close_by,)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    motion = Motion.objects.get(pk=motion_id)
    ballots = list(Ballot.objects.filter(motion=motion).values_list("mandate_id", flat=True))
    counts = (motion.outcome or {}).get("result", {}).get("counts")
    return {
        "outcomes": dict(Counter(outcomes)),
        "ballots": len(ballots),
        "distinct_voters": len(set(ballots)),
        "status": motion.status,
        "counted": None if counts is None else counts["yes"] + counts["no"] + counts["abstain"],
    }


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sharaka.config.settings")
    import django

    django.setup()
    command, motion_id, *rest = argv
    close_by = None
    if command == "cast-and-close":
        close_by, *rest = rest
    result = cast_all(
        int(motion_id), [int(u) for u in rest], close_by=int(close_by) if close_by else None
    )
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
