"""Sign-in timing and throttling with the production password hash (scrypt), on SQLite.

Prints the median time of a wrong password for an existing and an unknown email (the ratio
should be close to 1: timing must not reveal which emails exist), and what thirty wrong
passwords followed by the right one get once throttling is on.
"""

from __future__ import annotations

import logging
import statistics
import tempfile
import time
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import delete

from qa_app import create_app
from qa_app.extensions import db
from qa_app.models import Role, SignInFailure
from qa_app.people.operations import create_user

ROUNDS = 15
PASSWORD = "kettle orchard lantern"


def _median_ms(client, email: str) -> float:
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        client.post("/sign-in", data={"email": email, "password": "not the password"})
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    logging.getLogger("qa_app.auth.routes").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {
                "SECRET_KEY": "benchmark",
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(folder) / 'bench.sqlite3'}",
                "WTF_CSRF_ENABLED": False,
                "SIGN_IN_ACCOUNT_LIMIT": 10**6,
                "SIGN_IN_ADDRESS_LIMIT": 10**6,
            }
        )
        with app.app_context():
            upgrade()
            create_user(db.session, "real@example.org", "Synthetic", Role.AUDITOR, PASSWORD, None)
            db.session.commit()
        client = app.test_client()
        existing, unknown = (
            _median_ms(client, "real@example.org"),
            _median_ms(client, "nobody@example.org"),
        )
        print(
            f"BENCH security sign_in_wrong_password_ms existing={existing:.0f} "
            f"unknown={unknown:.0f} ratio={existing / unknown:.2f}"
        )
        app.config.update(SIGN_IN_ACCOUNT_LIMIT=5, SIGN_IN_ADDRESS_LIMIT=30)
        with app.app_context():
            db.session.execute(delete(SignInFailure))  # start the replay from no failures
            db.session.commit()
        answered = 0
        for _ in range(30):
            response = client.post(
                "/sign-in", data={"email": "real@example.org", "password": "wrong"}
            )
            answered += "too many attempts" not in response.text
        right = client.post("/sign-in", data={"email": "real@example.org", "password": PASSWORD})
        print(
            f"BENCH security throttling wrong_attempts=30 checked={answered} "
            f"refused={30 - answered} right_password_accepted={int(right.status_code == 302)}"
        )
        with app.app_context():
            db.engine.dispose()


if __name__ == "__main__":
    main()
