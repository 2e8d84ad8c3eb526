"""Every rule of the template format is reported as a problem with the line and column at fault."""

# Expected messages are kept whole on one line so they can be searched for.
# ruff: noqa: E501

from __future__ import annotations

import pytest

from qa_app.template_format.parser import Problem


def only(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, "\n".join(str(p) for p in problems)
    return problems[0]


def messages(problems: list[Problem]) -> list[str]:
    return [p.message for p in problems]


# --- the file as a whole ------------------------------------------------------------------


def test_problem_prints_as_path_line_column_message():
    assert str(Problem("a.yaml", 3, 7, "missing x")) == "a.yaml:3:7: missing x"


@pytest.mark.parametrize("text", ["", "   \n", "# only a comment\n", "---\n", "~\n"])
def test_empty_file_is_reported(text, problems_of):
    problem = only(problems_of(text))
    assert (problem.line, problem.column, problem.message) == (1, 1, "the file is empty")


@pytest.mark.parametrize(
    ("text", "what"),
    [
        ("- a\n- b\n", "a list"),
        ("just some words\n", '"just some words"'),
        ("42\n", "a number (42)"),
    ],
)
def test_document_that_is_not_a_mapping_is_reported(text, what, problems_of):
    problem = only(problems_of(text))
    assert problem.message == f"the template must be a set of fields (key: value lines), not {what}"


def test_yaml_syntax_error_is_reported_at_the_mark(problems_of):
    text = "key: example\ntitle: [unclosed\nversion: 1\n"
    problem = only(problems_of(text))
    assert problem.message.startswith("YAML syntax error: ")
    assert (problem.line, problem.column) == (3, 8)


def test_tab_indentation_gets_advice(problems_of):
    problem = only(problems_of("key: a\nsections:\n\t- x\n"))
    assert problem.line == 3
    assert "indent with spaces, not tabs" in problem.message


def test_unquoted_colon_in_text_gets_advice(make_template, problems_of, locate):
    text = make_template().replace("Was the first thing done?", "Note: was it done: really?")
    problem = only(problems_of(text))
    assert 'text containing ": " needs quotes' in problem.message


def test_characters_yaml_does_not_allow_are_reported_with_position(problems_of):
    problem = only(problems_of("key: ok\ntitle: bad\x07bell\n"))
    assert (problem.line, problem.column) == (2, 11)
    assert problem.message.startswith("YAML syntax error: the character #x0007")


def test_more_than_one_document_is_reported(make_template, problems_of):
    text = make_template() + "---\nkey: second\n"
    problem = only(problems_of(text))
    assert "more than one YAML document" in problem.message
    assert problem.line == text.count("\n") - 1


def test_undefined_alias_is_a_syntax_error(make_template, problems_of):
    problem = only(problems_of(make_template().replace("scale: yes_no", "scale: *nowhere")))
    assert "needs an anchor" in problem.message


def test_non_text_keys_are_reported(make_template, problems_of, locate):
    text = make_template(top="? [a, b]\n: listed\n12: twelve\n")
    problems = problems_of(text)
    assert messages(problems) == [
        "a key must be plain text, not a list",
        'unknown field "12" (fields allowed here: key, version, title, description, applies_to, '
        "look_back_months, findings, scales, sections, overall)",
    ]
    assert (problems[0].line, problems[0].column) == locate(text, "[a, b]")


def test_every_problem_in_the_file_is_reported_not_just_the_first(make_template, problems_of):
    text = make_template(
        """
        - key: first
          qestion: Q?
          scale: ofstead
          weight: heavy
        - key: first
          question: Again?
          scale: yes_no
          area: nowhere
        """
    ).replace("version: 1", "version: 0")
    found = messages(problems_of(text))
    assert len(found) == 7
    assert any(m.startswith('"version" must be a whole number') for m in found)
    assert any(m.startswith('unknown field "qestion"') for m in found)
    assert 'missing "question"' in found
    assert any(m.startswith('unknown scale "ofstead"') for m in found)
    assert any(m.startswith('duplicate key "first"') for m in found)
    assert any(m.startswith('unknown inspection area "nowhere"') for m in found)
    assert any(m.startswith('"weight" must be a number') for m in found)


def test_problems_come_in_line_order(make_template, problems_of):
    text = make_template(
        """
        - key: a
          question: A?
          scale: nope
        - key: b
          question: B?
          scale: yes_no
          area: nowhere
        """,
        overall="rationale: sometimes\n",
    )
    lines = [p.line for p in problems_of(text)]
    assert lines == sorted(lines) and len(lines) == 3


# --- fields -------------------------------------------------------------------------------


def test_unknown_field_suggests_the_closest_known_field(make_template, problems_of, locate):
    text = make_template(
        """
        - key: first
          question: Q?
          scale: yes_no
          gudiance: Look at the plan
        """
    )
    problem = only(problems_of(text))
    assert problem.message == 'unknown field "gudiance" (did you mean "guidance"?)'
    assert (problem.line, problem.column) == locate(text, "gudiance")


def test_unknown_field_lists_the_fields_when_nothing_is_close(make_template, problems_of):
    problem = only(problems_of(make_template(section="zzz: 1\n")))
    assert problem.message.startswith('unknown field "zzz" (fields allowed here: key, title, ')


def test_missing_required_field_is_reported_at_its_mapping(make_template, problems_of, locate):
    text = make_template("- key: first\n  scale: yes_no\n")
    problem = only(problems_of(text))
    assert problem.message == 'missing "question"'
    assert (problem.line, problem.column) == locate(text, "key: first\n")


@pytest.mark.parametrize("field", ["key", "version", "title", "sections", "overall"])
def test_missing_top_level_field_is_reported(field, make_template, problems_of):
    lines = make_template().splitlines(keepends=True)
    text = "".join(line for line in lines if not line.startswith(f"{field}:"))
    if field in ("sections", "overall"):
        text = text.split(f"{field}:")[0] if f"{field}:" in text else text
        text = make_template().split("sections:" if field == "sections" else "overall:")[0]
        if field == "sections":
            text += "overall:\n  question: Q\n  scale: ofsted\n"
    assert f'missing "{field}"' in messages(problems_of(text))


def test_duplicate_key_names_the_line_first_used(make_template, problems_of, locate):
    text = make_template(
        """
        - key: first
          question: Q?
          scale: yes_no
          question: Again?
        """
    )
    problem = only(problems_of(text))
    first_line = locate(text, "question: Q?")[0]
    assert problem.message == f'duplicate key "question": already used on line {first_line}'
    assert (problem.line, problem.column) == locate(text, "question: Again?")


def test_section_and_criterion_keys_share_one_namespace(make_template, problems_of, locate):
    text = make_template("- key: first_section\n  question: Q?\n  scale: yes_no\n")
    problem = only(problems_of(text))
    line = locate(text, "key: first_section")[0]
    assert problem.message == f'duplicate key "first_section": already used on line {line}'


def test_duplicate_criterion_keys_across_sections_are_reported(make_template, problems_of):
    text = make_template(
        sections="""
        - key: second_section
          title: Second
          criteria:
            - key: first_question
              question: Again?
              scale: yes_no
        """
    )
    assert only(problems_of(text)).message.startswith('duplicate key "first_question"')


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("question", "[a, b]", '"question" must be text, not a list'),
        ("hint", "{a: b}", '"hint" must be text, not a set of fields (key: value lines)'),
        ("question", '""', '"question" is empty'),
        ("question", "", '"question" is empty'),
        ("required", "maybe", '"required" must be true or false, not "maybe"'),
        ("allow_na", "1", '"allow_na" must be true or false, not a number (1)'),
        ("weight", "heavy", '"weight" must be a number of 0 or more, not "heavy"'),
        ("weight", "-1", '"weight" must be a number of 0 or more'),
        ("weight", ".inf", '"weight" must be a number of 0 or more, not a number (.inf)'),
        ("type", "dat", 'unknown type "dat" (types: scale, date, number, text, tags) (did you mean "date"?)'),
        ("rationale", "sometimes", 'rationale must be "always", "never" or "below <option>" such as "below good", not "sometimes"'),
        ("area", "leader", 'unknown inspection area "leader" (areas: leaders, help_and_protection, children_in_care, care_leavers) (did you mean "leaders"?)'),
        ("findings", "one-finding", '"findings" must be a list, not "one-finding"'),
        ("key", "Bad Key", 'criterion key "Bad Key" must use only lowercase letters, digits and underscores, starting with a letter'),
        ("key", "x" * 65, 'criterion key "' + "x" * 57 + '..." is too long (at most 64 characters)'),
    ],
)  # fmt: skip
def test_wrong_values_are_reported_at_the_value(
    field, value, expected, make_template, problems_of, locate
):
    criteria = "- key: first\n  question: Q?\n  scale: yes_no\n"
    if field in ("question", "key"):
        criteria = criteria.replace(
            f"{field}: " + ("Q?" if field == "question" else "first"), f"{field}: {value}"
        )
    else:
        criteria += f"  {field}: {value}\n"
    text = make_template(criteria)
    problem = only(problems_of(text))
    assert problem.message == expected
    line, column = locate(text, f"{field}: {value}\n")
    if value:
        assert (problem.line, problem.column) == (line, column + len(field) + 2)


def test_custom_yaml_tags_are_not_supported(make_template, problems_of):
    text = make_template().replace("title: Example audit", "title: !secret Example")
    assert only(problems_of(text)).message == '"title": the YAML tag "!secret" is not supported'


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("key", "Front_Door", 'template key "Front_Door" must use only lowercase letters, digits and hyphens, starting with a letter'),
        ("version", "0", '"version" must be a whole number of 1 or more, not a number (0)'),
        ("version", "1.5", '"version" must be a whole number of 1 or more, not a number (1.5)'),
        ("version", '"2"', '"version" must be a whole number of 1 or more, not "2"'),
        ("version", "10000001", '"version" is too large (at most 1,000,000)'),
        ("look_back_months", "-3", '"look_back_months" must be a whole number of 1 or more, not a number (-3)'),
        ("applies_to", "[child_protection, cp]", 'unknown case type "cp" (case types: contact_referral, early_help, child_in_need, child_protection, child_in_care, care_leaver, homeless_16_17, lado)'),
        ("applies_to", "[lado, lado]", 'case type "lado" is listed twice'),
        ("applies_to", "child_protection", '"applies_to" must be a list, not "child_protection"'),
    ],
)  # fmt: skip
def test_wrong_template_fields_are_reported(field, value, expected, make_template, problems_of):
    text = make_template()
    if field in ("key", "version"):
        text = text.replace(
            f"{field}: " + ("example" if field == "key" else "1"), f"{field}: {value}", 1
        )
    else:
        text = make_template(top=f"{field}: {value}\n")
    assert only(problems_of(text)).message == expected


# --- scales -------------------------------------------------------------------------------


def test_unknown_scale_is_reported_with_line_and_column(make_template, problems_of, locate):
    text = make_template("- key: first\n  question: Q?\n  scale: ofstead\n")
    problem = only(problems_of(text))
    assert problem.message == (
        'unknown scale "ofstead" (built-in scales: ofsted, yes_partly_no, yes_no, scaling_0_10; '
        'or declare it under "scales"); did you mean "ofsted"?'
    )
    line, column = locate(text, "ofstead")
    assert (problem.line, problem.column) == (line, column)


def test_unknown_scale_message_lists_declared_scales(make_template, problems_of):
    text = make_template(
        "- {key: first, question: Q, scale: zzz}\n",
        top="scales:\n  mine:\n    label: M\n    options: [{value: a, label: A, score: 1}, {value: b, label: B, score: 0}]\n",
    )
    assert "; declared here: mine;" in only(problems_of(text)).message


SCALE = """\
scales:
  mine:
    label: Mine
    options:
{options}
"""


def scale_problems(options: str, make_template, problems_of) -> list[Problem]:
    text = make_template(
        "- {key: first, question: Q, scale: mine}\n", top=SCALE.format(options=options)
    )
    return problems_of(text)


def test_scale_needs_at_least_two_options(make_template, problems_of):
    problem = only(
        scale_problems("      - {value: a, label: A, score: 1}", make_template, problems_of)
    )
    assert problem.message == "a scale needs at least 2 options"


def test_scale_option_values_must_be_unique(make_template, problems_of):
    options = "      - {value: a, label: A, score: 1}\n      - {value: a, label: Again, score: 0}"
    problem = only(scale_problems(options, make_template, problems_of))
    assert problem.message.startswith('duplicate option value "a": already used on line ')


@pytest.mark.parametrize("score", ["1.5", "-0.1", "high", ".nan", "true"])
def test_score_must_be_a_number_between_0_and_1(score, make_template, problems_of):
    options = (
        f"      - {{value: a, label: A, score: {score}}}\n      - {{value: b, label: B, score: 0}}"
    )
    problem = only(scale_problems(options, make_template, problems_of))
    assert problem.message.startswith("score must be a number between 0 and 1")


def test_scale_option_value_na_is_reserved(make_template, problems_of):
    options = "      - {value: a, label: A, score: 1}\n      - {value: na, label: N/A, score: 0}"
    problem = only(scale_problems(options, make_template, problems_of))
    assert problem.message == '"na" is kept for "Not applicable": use allow_na on criteria'


def test_scale_option_needs_value_label_and_score(make_template, problems_of):
    options = "      - {value: a, label: A, score: 1}\n      - {hint: nothing else}"
    found = messages(scale_problems(options, make_template, problems_of))
    assert [message.split(" in the option")[0] for message in found[:2]] == [
        'missing "value"',
        'missing "label"',
    ]
    assert 'has no "score": add a score between 0 and 1' in found[2]


def test_a_missing_score_names_the_option_and_the_scale(make_template, problems_of):
    options = "      - {value: a, label: A, score: 1}\n      - {value: b, label: B}"
    [message] = messages(scale_problems(options, make_template, problems_of))
    assert message.startswith('the option "b" of scale "')
    assert 'has no "score"' in message


def test_scale_needs_a_label_and_options(make_template, problems_of):
    text = make_template(
        top="scales:\n  mine: {}\n", criteria="- {key: c, question: Q, scale: mine}\n"
    )
    assert messages(problems_of(text)) == ['missing "label"', 'missing "options"']


def test_custom_scale_with_a_built_in_name_is_reported(make_template, problems_of, locate):
    top = "scales:\n  ofsted:\n    label: Mine\n    options: [{value: a, label: A, score: 1}, {value: b, label: B, score: 0}]\n"
    text = make_template(top=top)
    problem = only(problems_of(text))
    assert problem.message == '"ofsted" is a built-in scale: give your own scale another key'
    assert (problem.line, problem.column) == locate(text, "ofsted:")


def test_scale_option_values_yes_and_no_stay_text(make_template, definition_of):
    options = "      - {value: yes, label: Y, score: 1}\n      - {value: no, label: N, score: 0}"
    text = make_template(
        "- {key: first, question: Q, scale: mine}\n", top=SCALE.format(options=options)
    )
    assert [o.value for o in definition_of(text).scale("mine").options] == ["yes", "no"]


# --- criteria rules -----------------------------------------------------------------------


def test_scale_question_without_a_scale_is_reported(make_template, problems_of):
    assert (
        only(problems_of(make_template("- {key: c, question: Q}\n"))).message == 'missing "scale"'
    )


def test_scale_on_a_question_that_is_not_a_scale_question_is_reported(make_template, problems_of):
    problem = only(
        problems_of(make_template("- {key: c, question: Q, type: date, scale: yes_no}\n"))
    )
    assert problem.message == '"scale" only applies to scale questions, not date'


def test_tags_question_needs_options(make_template, problems_of):
    problem = only(problems_of(make_template("- {key: c, question: Q, type: tags}\n")))
    assert problem.message.startswith('missing "options"')


def test_options_only_apply_to_tags_questions(make_template, problems_of, locate):
    text = make_template(
        "- key: c\n  question: Q\n  type: text\n  options: [{value: a, label: A}]\n"
    )
    problem = only(problems_of(text))
    assert problem.message == '"options" only applies to tags questions, not text'
    assert (problem.line, problem.column) == locate(text, "options:")


def test_tag_options_need_unique_valid_values_and_labels(make_template, problems_of, locate):
    text = make_template(
        "- key: c\n  question: Q\n  type: tags\n  options:\n"
        "    - {value: a, label: A}\n    - {value: a, label: B}\n    - {value: na, label: N}\n"
        "    - {value: Big, label: C}\n    - {value: d}\n"
    )
    line = locate(text, "{value: a")[0]
    assert messages(problems_of(text)) == [
        f'duplicate option value "a": already used on line {line}',
        '"na" is kept for "Not applicable"; choose another value',
        'option value "Big" must use only lowercase letters, digits and underscores',
        'missing "label"',
    ]


@pytest.mark.parametrize("field", ["min", "max"])
def test_min_and_max_only_apply_to_number_questions(field, make_template, problems_of):
    problem = only(
        problems_of(make_template(f"- {{key: c, question: Q, scale: yes_no, {field}: 1}}\n"))
    )
    assert problem.message == f'"{field}" only applies to number questions, not scale'


def test_min_must_not_be_more_than_max(make_template, problems_of):
    problem = only(
        problems_of(make_template("- {key: c, question: Q, type: number, min: 5, max: 1}\n"))
    )
    assert problem.message == '"min" must not be more than "max"'


def test_min_and_max_must_be_numbers(make_template, problems_of):
    problem = only(problems_of(make_template("- {key: c, question: Q, type: number, min: few}\n")))
    assert problem.message == '"min" must be a number, not "few"'


def test_rationale_below_must_name_an_option_of_the_scale(make_template, problems_of, locate):
    text = make_template("- key: c\n  question: Q\n  scale: ofsted\n  rationale: below great\n")
    problem = only(problems_of(text))
    assert problem.message == (
        'rationale "below great" names "great", which is not an option of scale "ofsted" '
        "(options: outstanding, good, requires_improvement, inadequate)"
    )
    assert (problem.line, problem.column) == locate(text, "below great")


def test_rationale_below_on_a_question_without_a_scale_is_reported(make_template, problems_of):
    problem = only(
        problems_of(make_template("- {key: c, question: Q, type: date, rationale: below good}\n"))
    )
    assert problem.message == '"rationale: below ..." only applies to scale questions'


def test_judgement_rationale_below_is_checked_against_its_scale(make_template, problems_of):
    text = make_template(overall="rationale: below partly\n")
    assert (
        'names "partly", which is not an option of scale "ofsted"'
        in only(problems_of(text)).message
    )


def test_section_judgement_needs_question_and_scale(make_template, problems_of):
    text = make_template(section="judgement:\n  hint: Just a hint\n")
    assert messages(problems_of(text)) == ['missing "question"', 'missing "scale"']


def test_findings_must_be_declared(make_template, problems_of, locate):
    text = make_template(
        "- {key: c, question: Q, scale: yes_no, findings: [known, unknwn]}\n",
        top="findings:\n  known: A known finding\n",
    )
    problem = only(problems_of(text))
    assert (
        problem.message
        == 'finding "unknwn" is not declared under "findings" (did you mean "known"?)'
    )
    assert (problem.line, problem.column) == locate(text, "unknwn")


def test_finding_keys_and_wording_are_checked(make_template, problems_of):
    text = make_template(top="findings:\n  Bad Key: Wording\n  good-key:\n")
    assert messages(problems_of(text)) == [
        'finding key "Bad Key" must use only lowercase letters, digits, hyphens and underscores, '
        "starting with a letter",
        'the wording of finding "good-key" is empty',
    ]


def test_findings_listed_twice_on_a_criterion_are_reported(make_template, problems_of):
    text = make_template(
        "- {key: c, question: Q, scale: yes_no, findings: [known, known]}\n",
        top="findings:\n  known: A known finding\n",
    )
    assert only(problems_of(text)).message == 'finding "known" is listed twice'


def test_replaces_cannot_name_a_key_still_in_the_template(make_template, problems_of):
    text = make_template(
        "- {key: a, question: Q, scale: yes_no}\n- {key: b, question: Q, scale: yes_no, replaces: a}\n"
    )
    assert (
        only(problems_of(text)).message == 'replaces "a", but "a" is still a key in this template'
    )


def test_replaces_cannot_name_the_criterion_itself_or_be_used_twice(make_template, problems_of):
    text = make_template(
        "- {key: a, question: Q, scale: yes_no, replaces: a}\n"
        "- {key: b, question: Q, scale: yes_no, replaces: old}\n"
        "- {key: c, question: Q, scale: yes_no, replaces: old}\n"
    )
    found = messages(problems_of(text))
    assert found[0] == "a criterion cannot replace itself"
    assert found[1].startswith('"old" is already replaced by the criterion on line ')


# --- limited_by ---------------------------------------------------------------------------


def test_limited_by_must_name_sections_or_scale_criteria(make_template, problems_of, locate):
    text = make_template(
        "- {key: a, question: Q, scale: yes_no}\n- {key: when, question: Q, type: date}\n",
        overall="limited_by: [first_section, a, when, nowhere, a]\n",
    )
    problems = problems_of(text)
    assert messages(problems) == [
        'limited_by "when" is a date question; only sections and scale questions can limit the '
        "overall judgement",
        'limited_by "nowhere" is not a section or criterion in this template',
        '"a" is listed twice in limited_by',
    ]
    assert (problems[1].line, problems[1].column) == locate(text, "nowhere")


def test_limited_by_only_belongs_to_the_overall_judgement(make_template, problems_of):
    text = make_template(section="judgement: {question: Q, scale: ofsted, limited_by: [a]}\n")
    assert only(problems_of(text)).message.startswith('unknown field "limited_by"')


# --- sections -----------------------------------------------------------------------------


def test_sections_and_criteria_must_not_be_empty(problems_of):
    base = "key: k\nversion: 1\ntitle: T\noverall: {question: Q, scale: ofsted}\n"
    assert messages(problems_of(base + "sections: []\n")) == [
        '"sections" must list at least one section'
    ]
    text = base + "sections:\n  - key: s\n    title: S\n    criteria: []\n"
    assert messages(problems_of(text)) == ['"criteria" must list at least one criterion']


def test_section_that_is_not_a_mapping_is_reported(problems_of):
    text = "key: k\nversion: 1\ntitle: T\noverall: {question: Q, scale: ofsted}\nsections:\n  - just text\n"
    problem = only(problems_of(text))
    assert (
        problem.message == 'a section must be a set of fields (key: value lines), not "just text"'
    )
    assert (problem.line, problem.column) == (6, 5)


# --- indentation, in plain words ------------------------------------------------------------

INDENTED = """key: a
version: 1
title: T
sections:
  - key: s
    title: S
    criteria:
      - key: first
        question: Q
        scale: ofsted
      - key: second
        question: R
        scale: ofsted
"""


def test_an_over_indented_field_says_to_remove_the_spaces_not_to_add_quotes(problems_of):
    text = INDENTED.replace("        question: Q", "          question: Q")
    problem = only(problems_of(text))
    assert (problem.line, problem.column) == (9, 11)
    assert problem.message == (
        '"question:" is indented further than "key:" on line 8 (column 11, not 9). Fields of the '
        'same item must start in the same column: remove 2 spaces before "question:"'
    )
    assert "quotes" not in problem.message


def test_an_under_indented_field_says_how_far_to_indent(problems_of):
    text = INDENTED.replace("        question: Q", "      question: Q")
    problem = only(problems_of(text))
    assert problem.line == 9
    assert problem.message.startswith(
        '"question:" starts at column 7, to the left of "key:" on line 8 (column 9)'
    )
    assert "<block end>" not in problem.message


def test_a_list_item_out_of_line_says_to_line_up_its_dash(problems_of):
    text = INDENTED.replace("      - key: second", "        - key: second")
    problem = only(problems_of(text))
    assert problem.line == 11
    assert 'line up its "-" with theirs' in problem.message
