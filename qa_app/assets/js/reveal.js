// GOV.UK conditional reveal for radios, without aria-expanded.
//
// The markup is GOV.UK Frontend's (govukRadios with "conditional" items): each
// radio that reveals something names it in data-aria-controls, and the hidden
// parts carry govuk-radios__conditional--hidden. GOV.UK Frontend's own script
// also sets aria-expanded on the radios, which ARIA does not allow on a radio
// (accessibility checkers flag it). Radios marked data-app-reveal are taken
// away from that script and handled here the same way, minus that attribute.
// Without JavaScript every revealed part shows.

const HIDDEN = "govuk-radios__conditional--hidden";

function sync(group) {
  for (const input of group.querySelectorAll("input[type=radio][aria-controls]")) {
    const target = document.getElementById(input.getAttribute("aria-controls"));
    if (target) target.classList.toggle(HIDDEN, !input.checked);
  }
}

// Call before GOV.UK Frontend's initAll, so it leaves these radios alone.
export function setUpConditionalReveals(root = document) {
  for (const group of root.querySelectorAll(".govuk-radios[data-app-reveal]")) {
    group.removeAttribute("data-module");
    for (const input of group.querySelectorAll("input[type=radio][data-aria-controls]")) {
      input.setAttribute("aria-controls", input.getAttribute("data-aria-controls"));
      input.removeAttribute("data-aria-controls");
    }
    group.addEventListener("change", () => sync(group));
    sync(group);
  }
}
