// Page behaviour for the case-audit QA app.
//
// Loaded as <script type="module" src="/static/js/app.js">. Module scripts run
// after the document is parsed, so the whole page is there when this runs.
// Everything here is an enhancement: without JavaScript every question shows
// and every form still submits.

import { initAll } from "./govuk-frontend.min.js";
import { setUpConditionalReveals } from "./reveal.js";
import { setUpScrollingTables } from "./tables.js";

// GOV.UK Frontend only starts its components when <body> has this class. The
// page template adds it with an inline script, which a strict Content Security
// Policy can block; a browser running this module passes the same test that
// script makes (ES module support), so it is safe to add it here too.
document.body.classList.add("js-enabled", "govuk-frontend-supported");
setUpConditionalReveals();
initAll();
setUpScrollingTables();

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

// ---------------------------------------------------------------------------
// Autosave
//
// <form data-autosave="URL">: a few seconds after the last change, and when
// the page is hidden or left, the form is posted to URL in the background.
// The server answers JSON: {status: "saved", lock_version} (the page keeps the
// new lock version so its own Save still counts as up to date), "conflict"
// (saved elsewhere: autosave stops and the Save button shows both versions),
// "stale_token" (still signed in, but the page's CSRF token is from an earlier
// session: the answer carries a fresh token, which every form on the page
// takes, and the same answers are saved again at once, nothing lost),
// "signed_out" (the Save button will keep the answers through signing in), or
// "too_long"/"too_large" with a message saying what to shorten (nothing saved).
// Without JavaScript the Save buttons do the same job.
// ---------------------------------------------------------------------------

const AUTOSAVE_DELAY_MS = 4000;

function setUpAutosave(form) {
  const url = form.dataset.autosave;
  const lockField = form.querySelector("input[name='lock_version']");
  const status = document.querySelector("[data-autosave-status]");
  let timer = null;
  let dirty = false;
  let stopped = false;
  let inFlight = null;
  let waitingSubmitter = undefined;
  // One fresh-token retry per refusal, so a token that keeps failing cannot loop.
  let retried = false;

  const say = (text) => {
    if (status) status.textContent = text;
  };

  async function save() {
    window.clearTimeout(timer);
    if (!dirty || stopped || inFlight) return inFlight;
    dirty = false;
    // FormData leaves out disabled fields (earlier sections' answers shown to
    // the conditions script) and buttons, exactly like a real submission.
    const body = new FormData(form);
    inFlight = fetch(url, {
      method: "POST",
      body,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
      keepalive: true, // lets a save started as the page is left still arrive
    })
      .then(async (response) => {
        const answer = await response.json().catch(() => ({}));
        if (response.ok && answer.status === "saved") {
          retried = false;
          if (lockField) lockField.value = String(answer.lock_version);
          // The server formats the time as every page shows it ("6:36pm", on the clock in England).
          say(answer.saved_at_text ? `Draft saved automatically at ${answer.saved_at_text}.` : "Draft saved automatically.");
        } else if (answer.status === "conflict") {
          stopped = true;
          say("This audit was saved somewhere else. Select Save draft to compare the versions: nothing you typed is lost.");
        } else if (answer.status === "stale_token" && answer.csrf_token && !retried) {
          retried = true;
          for (const field of document.querySelectorAll("input[name='csrf_token']")) {
            field.value = answer.csrf_token;
          }
          dirty = true;
          window.setTimeout(save, 0);
        } else if (answer.status === "signed_out") {
          stopped = true;
          say("Your session has ended. Select Save draft: you will be asked to sign in, and what you typed is kept.");
        } else if (answer.status === "too_long" || answer.status === "too_large") {
          say(answer.message);
        } else {
          dirty = true;
          say("Not saved yet. Select Save draft to save your answers.");
        }
      })
      .catch(() => {
        dirty = true;
        say("Could not save automatically. Your answers are still on this page: select Save draft.");
      })
      .finally(() => {
        inFlight = null;
      });
    return inFlight;
  }

  const changed = () => {
    if (stopped) return;
    dirty = true;
    window.clearTimeout(timer);
    timer = window.setTimeout(save, AUTOSAVE_DELAY_MS);
  };
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);

  // A Save pressed while a background save is still on its way would carry an
  // old lock version and be taken for a conflict: wait for it, then go on.
  form.addEventListener("submit", (event) => {
    window.clearTimeout(timer);
    if (inFlight && waitingSubmitter === undefined) {
      event.preventDefault();
      waitingSubmitter = event.submitter || null;
      inFlight.finally(() => form.requestSubmit(waitingSubmitter));
      return;
    }
    stopped = true;
  });

  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") save();
  });
  window.addEventListener("pagehide", () => save());
}

for (const form of document.querySelectorAll("form[data-autosave]")) setUpAutosave(form);

// ---------------------------------------------------------------------------
// Arriving from an error summary on another page (a link ending in #field-id)
// puts the focus in that field, as the error summary does on its own page.
// ---------------------------------------------------------------------------
if (window.location.hash.length > 1) {
  const target = document.getElementById(decodeURIComponent(window.location.hash.slice(1)));
  if (target && ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName)) {
    target.focus();
  }
}
