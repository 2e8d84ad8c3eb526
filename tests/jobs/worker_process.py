"""A job worker in its own process, for the test that kills one in the middle of an import.

Run as ``python -m tests.jobs.worker_process CONFIG_JSON PAUSE_FILE``: the app is made with the
test's config and huey's consumer runs as ``flask jobs worker`` runs it. After the import has
written its first batch of cases (inside its one transaction) the worker writes PAUSE_FILE and
waits, so the test can kill it at exactly that point.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from huey.consumer import Consumer

from qa_app import create_app
from qa_app.cases import operations


def main() -> None:
    config = json.loads(sys.argv[1])
    pause_file = Path(sys.argv[2])
    write_cases = operations._write_cases

    def write_then_wait(session, spool, team_ids):
        # Write the first batch through the real code, then stop before the transaction ends.
        first_batch = next(iter(spool.batches()))

        class OneBatch:
            def batches(self):
                yield first_batch

        write_cases(session, OneBatch(), team_ids)
        session.flush()
        pause_file.write_text("written")
        time.sleep(600)

    operations._write_cases = write_then_wait
    app = create_app(config)
    Consumer(app.extensions["qa_jobs"].huey, workers=1, worker_type="thread").run()


if __name__ == "__main__":
    main()
