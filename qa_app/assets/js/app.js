// Page behaviour for the case-audit QA app.
//
// Loaded as <script type="module" src="/static/js/app.js">. Module scripts run
// after the document is parsed, so the whole page is there when this runs.
// Everything here is an enhancement: without JavaScript every question shows
// and every form still submits.

import { initAll } from "./govuk-frontend.min.js";

// GOV.UK Frontend only starts its components when <body> has this class. The
// page template adds it with an inline script, which a strict Content Security
// Policy can block; a browser running this module passes the same test that
// script makes (ES module support), so it is safe to add it here too.
document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();

// ---------------------------------------------------------------------------
// Conditional questions
//
// Markup (rendered by the server):
//   <div class="app-question" id="question-KEY"
//        data-show-if='{"mode": "all", "conditions": [
//          {"criterion": "other_key", "operator": "is", "values": ["yes"]}]}'>
// Wrappers without data-show-if are always shown. A criterion's answer fields
// are named "answer__KEY": radios (one checked value), checkboxes for tags
// (any number checked), or text, number, date-part inputs, selects and
// textareas (their values). "na" is an answer like any other.
//
// The rules mirror qa_app/audits/visibility.py so the page shows what the
// server will accept: every operator needs a visible, answered criterion.
// ---------------------------------------------------------------------------

const QUESTION_ID_PREFIX = "question-";
const ANSWER_NAME_PREFIX = "answer__";
const HIDDEN_CLASS = "app-question--hidden";

// The current answer to a criterion as { value, tags }, the same shape as the
// server's Response: `value` for single answers, `tags` for checkboxes.
function readAnswer(key) {
  let value = "";
  const tags = [];
  const typed = [];
  for (const field of document.getElementsByName(ANSWER_NAME_PREFIX + key)) {
    if (field.type === "checkbox") {
      if (field.checked) tags.push(field.value);
    } else if (field.type === "radio") {
      if (field.checked) value = field.value;
    } else if (field.type === "select-multiple") {
      for (const option of field.selectedOptions) tags.push(option.value);
    } else if ("value" in field) {
      const text = field.value.trim();
      if (text) typed.push(text);
    }
  }
  // Date inputs are three same-named boxes; any part typed counts as answered.
  if (typed.length) value = typed.join(" ");
  return { value, tags, answered: tags.length > 0 || value !== "" };
}

// A criterion is hidden when its wrapper is. Wrappers are updated in document
// order, so an earlier question's state is already current when a later one
// asks about it; that is what lets chains (C depends on B depends on A) work.
function isHidden(key) {
  const wrapper = document.getElementById(QUESTION_ID_PREFIX + key);
  return wrapper !== null && wrapper.classList.contains(HIDDEN_CLASS);
}

function conditionHolds(condition) {
  const key = String(condition.criterion ?? "");
  const values = Array.isArray(condition.values) ? condition.values.map(String) : [];
  const first = values.length ? values[0] : "";
  if (isHidden(key)) return false; // a hidden question's answer counts as no answer
  const answer = readAnswer(key);
  if (!answer.answered) return false; // every operator, is_not included, needs an answer
  switch (condition.operator) {
    case "is":
      return answer.value === first;
    case "is_not":
      return answer.value !== first;
    case "in":
      return values.includes(answer.value);
    case "not_in":
      return !values.includes(answer.value);
    case "includes":
      return answer.tags.includes(first);
    case "answered":
      return true;
    default:
      return false;
  }
}

function shouldShow(wrapper) {
  let rule;
  try {
    rule = JSON.parse(wrapper.dataset.showIf);
  } catch {
    // Fail open: a broken rule must never stop an auditor answering.
    return true;
  }
  const conditions = Array.isArray(rule?.conditions) ? rule.conditions : [];
  if (!conditions.length) return true;
  return rule.mode === "any" ? conditions.some(conditionHolds) : conditions.every(conditionHolds);
}

function updateQuestions() {
  for (const wrapper of document.querySelectorAll(".app-question[data-show-if]")) {
    const show = shouldShow(wrapper);
    // Only hide: typed answers stay in the fields, so nothing is lost if the
    // question comes back, and the server ignores answers that do not apply.
    wrapper.classList.toggle(HIDDEN_CLASS, !show);
    wrapper.hidden = !show;
  }
}

updateQuestions();
// Listening on the document catches change and input events from every form
// field (they bubble), including fields added to the page later.
document.addEventListener("change", updateQuestions);
document.addEventListener("input", updateQuestions);

// ---------------------------------------------------------------------------
// Double-submission guard
//
// <form data-prevent-double-submit>: after the first submit, its submit
// buttons are disabled for a few seconds so a double click or an impatient
// second click does not post the same audit twice.
// ---------------------------------------------------------------------------

const RESUBMIT_DELAY_MS = 5000;

function submitButtons(form) {
  // form.elements also finds buttons outside the form that use form="id".
  return Array.from(form.elements).filter((el) => el.type === "submit" || el.type === "image");
}

function releaseForm(form) {
  delete form.dataset.submitting;
  for (const input of form.querySelectorAll("input[data-app-submitter]")) input.remove();
  for (const button of submitButtons(form)) button.disabled = false;
}

document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-prevent-double-submit")) {
    return;
  }
  if (event.defaultPrevented) return; // another handler stopped this submission
  if (form.dataset.submitting) {
    event.preventDefault(); // e.g. Enter pressed again in a text box
    return;
  }
  form.dataset.submitting = "true";

  // A disabled button is left out of the submitted data, and the server needs
  // to know which one was pressed (such as "Save draft" or "Submit audit").
  const submitter = event.submitter;
  if (submitter && submitter.name) {
    const copy = document.createElement("input");
    copy.type = "hidden";
    copy.name = submitter.name;
    copy.value = submitter.value;
    copy.dataset.appSubmitter = "";
    form.append(copy);
  }
  for (const button of submitButtons(form)) button.disabled = true;
  window.setTimeout(() => releaseForm(form), RESUBMIT_DELAY_MS);
});

// Coming back with the Back button can restore the page from the browser's
// cache exactly as it was left, disabled buttons included.
window.addEventListener("pageshow", (event) => {
  if (!event.persisted) return;
  for (const form of document.querySelectorAll("form[data-prevent-double-submit]")) {
    releaseForm(form);
  }
});
