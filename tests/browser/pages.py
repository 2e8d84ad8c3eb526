"""Small page objects for the browser journeys: sign-in, starting an audit, the audit form."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from qa_app.demo.seed import DEMO_TEAMS
from tests.browser.playwright_api import Locator, Page, expect

FILLER_TEXT = "Synthetic audit note: the record shows what was done and why."
NUMBER_ANSWER = "2"
MAX_ANSWERS = 500


def sign_in(page: Page, email: str, password: str) -> None:
    """Sign in through the form; the app then shows the role's home page."""
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def another_team(own_team: str | None) -> str:
    """Return a demo team other than the user's own: nobody audits their own team's cases."""
    return next(team for team in DEMO_TEAMS if team != own_team)


def select_option_starting_with(select: Locator, prefix: str) -> str:
    """Choose the first option whose label starts with ``prefix``; return the full label."""
    labels = [text.strip() for text in select.locator("option").all_text_contents()]
    matching = [label for label in labels if label.startswith(prefix)]
    assert matching, f"no option starting with {prefix!r} among {labels}"
    select.select_option(label=matching[0])
    return matching[0]


@dataclass
class StartAuditPage:
    page: Page

    def open_from_my_audits(self) -> None:
        self.page.get_by_role("button", name="Start a new audit").click()
        expect(self.page.get_by_role("heading", level=1)).to_have_text("Start a new audit")

    def start(self, template_prefix: str, case_reference: str, team: str) -> int:
        """Fill the form and start the audit; return the new audit's id."""
        select_option_starting_with(self.page.get_by_label("Audit template"), template_prefix)
        self.page.get_by_label("Case reference").fill(case_reference)
        self.page.get_by_label("Team holding the case").select_option(label=team)
        self.page.get_by_role("button", name="Start audit").click()
        self.page.wait_for_url(re.compile(r"/audits/\d+$"))
        heading = self.page.get_by_role("heading", level=1)
        expect(heading).to_have_text(f"Audit of case {case_reference}")
        return int(self.page.url.rsplit("/", 1)[1])


# The first shown question that still needs something: an answer, or text in a rationale box.
_NEXT_UNANSWERED = """
() => {
  const shown = (el) => !el.closest("[hidden]") && el.getClientRects().length > 0;
  const filled = (el) => el.value.trim() !== "";
  for (const wrapper of document.querySelectorAll(".app-question")) {
    if (!shown(wrapper)) continue;
    const answers = [...wrapper.querySelectorAll('[name^="answer__"], [name^="judgement__"]')];
    const rationales = [...wrapper.querySelectorAll('textarea[name^="rationale__"]')];
    let kind = "none";
    let answered = true;
    if (answers.some((a) => a.type === "radio")) {
      kind = "radio";
      answered = answers.some((a) => a.checked);
    } else if (answers.some((a) => a.type === "checkbox")) {
      kind = "checkbox";
      answered = answers.some((a) => a.checked);
    } else if (answers.some((a) => a.classList.contains("govuk-date-input__input"))) {
      kind = "date";
      answered = answers.every(filled);
    } else if (answers.some((a) => a.tagName === "TEXTAREA")) {
      kind = "text";
      answered = answers.every(filled);
    } else if (answers.length) {
      kind = "number";
      answered = answers.every(filled);
    }
    const rationaleMissing = rationales.some((r) => !filled(r));
    if (!answered || rationaleMissing) return {id: wrapper.id, kind, answered};
  }
  return null;
}
"""

_CONDITIONAL_QUESTIONS = """
() => [...document.querySelectorAll(".app-question[data-show-if]")].map((w) => ({
  id: w.id,
  hidden: w.hidden,
  rule: (() => { try { return JSON.parse(w.dataset.showIf); } catch { return null; } })(),
}))
"""

ANSWER_INPUTS = '[name^="answer__"], [name^="judgement__"]'


@dataclass(frozen=True)
class ConditionalQuestion:
    """A question shown only after another answer, and answers that do and do not show it."""

    wrapper_id: str
    depends_on: str
    showing_value: str
    other_value: str
    input_type: str


@dataclass
class AuditFormPage:
    page: Page

    def question(self, wrapper_id: str) -> Locator:
        return self.page.locator(f'.app-question[id="{wrapper_id}"]')

    def field(self, name: str) -> Locator:
        return self.page.locator(f'[name="{name}"]')

    def first_shown_rationale_box(self) -> Locator:
        return self.page.locator('.app-question:not([hidden]) textarea[name^="rationale__"]').first

    def submit(self) -> None:
        """Submit from the task list."""
        self.page.get_by_role("button", name="Submit audit").click()

    def save_and_continue(self) -> None:
        self.page.get_by_role("button", name="Save and continue").click()
        # The next page's script shows and hides questions once the document is parsed.
        self.page.wait_for_load_state()

    def save_draft(self) -> None:
        self.page.get_by_role("button", name="Save draft").click()
        self.page.wait_for_load_state()

    def section_links(self) -> list[str]:
        """Return the task list's links to the audit's section pages, in order."""
        links = self.page.locator('.govuk-task-list a[href*="/sections/"]')
        return [links.nth(i).get_attribute("href") or "" for i in range(links.count())]

    def fill_every_page(self, audit_id: int) -> int:
        """Answer every section page, the practitioner page and the overall judgement, moving on
        with "Save and continue" from the first section; return how many questions were answered.
        """
        self.page.goto(self.section_links()[0])
        self.page.wait_for_load_state()
        answered = 0
        while "/sections/" in self.page.url:
            answered += self.answer_every_shown_question()
            self.save_and_continue()
        assert self.page.url.endswith(f"/audits/{audit_id}/practice"), self.page.url
        self.page.get_by_label("Yes").first.check()
        self.save_and_continue()
        assert self.page.url.endswith(f"/audits/{audit_id}/overall"), self.page.url
        return answered

    def answer_every_shown_question(self) -> int:
        """Answer each shown question with its first (best) option or some synthetic text.

        Questions are looked at again after each answer, since an answer can show or hide later
        questions. Answers already given are kept. Returns how many questions were answered.
        """
        previous = None
        for answered in range(MAX_ANSWERS):
            pending: dict[str, Any] | None = self.page.evaluate(_NEXT_UNANSWERED)
            if pending is None:
                return answered
            assert pending != previous, f"answering did not take: {pending}"
            previous = pending
            self._answer(self.question(pending["id"]), pending["kind"], pending["answered"])
        raise AssertionError(f"still finding unanswered questions after {MAX_ANSWERS} answers")

    def _answer(self, wrapper: Locator, kind: str, answered: bool) -> None:
        answers = wrapper.locator(ANSWER_INPUTS)
        if not answered:
            if kind in ("radio", "checkbox"):
                answers.first.check()
            elif kind == "date":
                day = date.today() - timedelta(days=7)
                parts = {"day": day.day, "month": day.month, "year": day.year}
                for part, value in parts.items():
                    wrapper.locator(f'input[id$="-{part}"]').fill(str(value))
            elif kind == "number":
                answers.first.fill(NUMBER_ANSWER)
            elif kind == "text":
                answers.first.fill(FILLER_TEXT)
        for box in wrapper.locator('textarea[name^="rationale__"]').all():
            if not box.input_value().strip():
                box.fill(FILLER_TEXT)

    def choose_first_overall_judgement(self) -> str:
        """Pick the best overall judgement, give reasons; return the judgement's label."""
        choice = self.page.locator('input[name="overall"]').first
        choice.check()
        self.field("overall_rationale").fill(FILLER_TEXT)
        return choice.evaluate("(input) => input.labels[0].textContent.trim()")

    def find_conditional_question(self) -> ConditionalQuestion:
        """Return a hidden question with one condition on an always-shown radio or tick box."""
        for candidate in self.page.evaluate(_CONDITIONAL_QUESTIONS):
            rule = candidate["rule"] or {}
            conditions = rule.get("conditions") or []
            if not candidate["hidden"] or len(conditions) != 1:
                continue
            found = self._conditional(candidate["id"], conditions[0])
            if found is not None:
                return found
        raise AssertionError("the form has no hidden question depending on an always-shown one")

    def _conditional(
        self, wrapper_id: str, condition: dict[str, Any]
    ) -> ConditionalQuestion | None:
        key = str(condition.get("criterion", ""))
        dependency = self.question(f"question-{key}")
        if dependency.count() != 1 or dependency.get_attribute("data-show-if") is not None:
            return None
        inputs = self.field(f"answer__{key}")
        types = {inputs.nth(i).get_attribute("type") for i in range(inputs.count())}
        if len(types) != 1 or not types <= {"radio", "checkbox"}:
            return None
        options = [inputs.nth(i).get_attribute("value") or "" for i in range(inputs.count())]
        values = [str(v) for v in condition.get("values") or []]
        operator = condition.get("operator")
        if operator in ("is", "in", "includes"):
            showing = [o for o in options if o in values]
            other = [o for o in options if o not in values]
        elif operator in ("is_not", "not_in"):
            showing = [o for o in options if o not in values]
            other = [o for o in options if o in values]
        else:
            return None
        if not showing or not other:
            return None
        return ConditionalQuestion(wrapper_id, key, showing[0], other[0], types.pop())

    def choose(self, key: str, value: str) -> None:
        self.page.locator(f'input[name="answer__{key}"][value="{value}"]').check()

    def unchoose(self, key: str, value: str) -> None:
        self.page.locator(f'input[name="answer__{key}"][value="{value}"]').uncheck()
