"""Two versions of a small synthetic template, and a broken third, written as QA staff would."""

from __future__ import annotations

KEY = "versioning-check"

V1_QUESTIONS = {
    "plan_quality": "How good is the child's plan?",
    "child_seen": "Was the child seen?",
    "visits_recorded": "Were the visits recorded on the child's file?",
}
V2_QUESTIONS = {
    "plan_quality": "How good is the child's plan, and does it say who does what by when?",
    "child_seen_timescale": "Was the child seen within the timescale the plan set?",
    "supervision_reflective": "Was supervision of the case reflective?",
}

V1 = f"""\
# A synthetic template for checking that audits keep their version.
key: {KEY}
version: 1
title: Versioning check audit (synthetic)
description: A synthetic template. It holds no real case details.
sections:
  - key: practice
    title: Practice with the child
    criteria:
      - key: plan_quality
        question: {V1_QUESTIONS["plan_quality"]}
        scale: ofsted
      - key: child_seen
        question: {V1_QUESTIONS["child_seen"]}
        scale: yes_no
      - key: visits_recorded
        question: {V1_QUESTIONS["visits_recorded"]}
        scale: yes_no
overall:
  question: What is your overall judgement of practice?
  scale: ofsted
  rationale: always
"""

# Version 1 edited without raising its version number.
V1_EDITED = V1.replace(V1_QUESTIONS["child_seen"], "Was the child seen alone?")

# plan_quality reworded, visits_recorded removed, supervision_reflective added, and child_seen
# renamed child_seen_timescale (its trend continues through ``replaces``).
V2 = f"""\
# A synthetic template for checking that audits keep their version.
key: {KEY}
version: 2
title: Versioning check audit (synthetic)
description: A synthetic template. It holds no real case details.
sections:
  - key: practice
    title: Practice with the child
    criteria:
      - key: plan_quality
        question: {V2_QUESTIONS["plan_quality"]}
        scale: ofsted
      - key: child_seen_timescale
        replaces: child_seen
        question: {V2_QUESTIONS["child_seen_timescale"]}
        scale: yes_no
      - key: supervision_reflective
        question: {V2_QUESTIONS["supervision_reflective"]}
        scale: yes_partly_no
overall:
  question: What is your overall judgement of practice?
  scale: ofsted
  rationale: always
"""

# Version 3 with a scale that does not exist (on line BROKEN_LINE).
BROKEN_V3 = V2.replace("version: 2", "version: 3").replace(
    "        scale: yes_partly_no", "        scale: yes_maybe_no"
)
BROKEN_LINE = BROKEN_V3.splitlines().index("        scale: yes_maybe_no") + 1

# Answers an auditor gives on each version's one section page, and the overall judgement.
V1_ANSWERS = {
    "answer__plan_quality": "good",
    "rationale__plan_quality": "",
    "answer__child_seen": "yes",
    "rationale__child_seen": "",
    "answer__visits_recorded": "yes",
    "rationale__visits_recorded": "",
}
V2_ANSWERS = {
    "answer__plan_quality": "outstanding",
    "rationale__plan_quality": "",
    "answer__child_seen_timescale": "yes",
    "rationale__child_seen_timescale": "",
    "answer__supervision_reflective": "yes",
    "rationale__supervision_reflective": "",
}
OVERALL = {
    "overall": "good",
    "overall_rationale": "Synthetic reasons for the overall judgement.",
    "override_reason": "",
}
