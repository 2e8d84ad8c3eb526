"""Simulated auditors saving drafts through autosave, as the audit page's script does.

Each simulated auditor (signed in beforehand, with an account of its own) saves its own audit
again and again, writing the save's number into two rationale boxes in the same save. Every
save sent, every save acknowledged ("saved") and every 5xx answer is appended to the journal
file named by ``LOAD_JOURNAL``, so the run can afterwards check the database against what the
server acknowledged. The accounts come from ``LOAD_ACCOUNTS`` (``seed.py``'s JSON, with each
account's session cookies added by ``__main__.py``).
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import re

from locust import HttpUser, between, events, task

SETUP = json.loads(open(os.environ["LOAD_ACCOUNTS"]).read())  # noqa: SIM115
JOURNAL = open(os.environ["LOAD_JOURNAL"], "a", buffering=1)  # noqa: SIM115
NEXT_ACCOUNT = itertools.count()
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
LOCK = re.compile(r'name="lock_version"[^>]*value="(\d+)"')


def note(**entry) -> None:
    JOURNAL.write(json.dumps(entry) + "\n")


@events.quitting.add_listener
def _close_journal(environment, **kwargs) -> None:
    JOURNAL.flush()


class Auditor(HttpUser):
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        account = SETUP["auditors"][next(NEXT_ACCOUNT) % len(SETUP["auditors"])]
        self.audit_id = account["audit_id"]
        self.number = 0
        # Signed in before the run (see __main__.py): the session cookies are reused.
        for name, value in account["cookies"].items():
            self.client.cookies.set(name, value)
        self.open_page()

    def open_page(self) -> None:
        """Read the section page, as the browser has it: its CSRF token and lock version."""
        page = self.client.get(
            f"/audits/{self.audit_id}/sections/{SETUP['section']}", name="section page"
        )
        self.token = CSRF.search(page.text).group(1)
        self.lock = LOCK.search(page.text).group(1)

    @task
    def autosave(self) -> None:
        self.number += 1
        text = f"save {self.number} (synthetic load test text)"
        data = {name: text for name in SETUP["rationales"]}
        data |= {"lock_version": self.lock, "csrf_token": self.token}
        note(audit=self.audit_id, event="sent", number=self.number)
        with self.client.post(
            f"/audits/{self.audit_id}/autosave/{SETUP['section']}",
            data=data,
            headers={"Accept": "application/json"},
            name="autosave",
            catch_response=True,
        ) as response:
            if response.status_code >= 500:
                note(audit=self.audit_id, event="5xx", status=response.status_code)
                response.failure(f"{response.status_code}")
                return
            answer = {}
            with contextlib.suppress(ValueError):
                answer = response.json()
            if response.status_code == 200 and answer.get("status") == "saved":
                self.lock = str(answer["lock_version"])
                note(
                    audit=self.audit_id,
                    event="ack",
                    number=self.number,
                    lock=answer["lock_version"],
                )
                response.success()
            elif answer.get("status") == "conflict":
                # A save whose answer was lost (its worker was killed) may still have been
                # stored: the page is read again, as the Save button's comparison would.
                response.success()
                self.open_page()
            else:
                response.failure(f"{response.status_code} {answer.get('status')}")
                self.open_page()
