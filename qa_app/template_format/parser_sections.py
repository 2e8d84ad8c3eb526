"""Reading sections, criteria and judgements (used by ``parser``).

Checks that depend on the rest of the template (scales declared later in the file, earlier
criteria, findings) are queued on the :class:`TemplateState` and run once everything is read.
"""

from __future__ import annotations

from yaml.nodes import Node

from qa_app.template_format.definition import (
    ANSWER_TYPES,
    INSPECTION_AREAS,
    NOT_APPLICABLE,
    Criterion,
    Judgement,
    Section,
    TagOption,
)
from qa_app.template_format.parser_checks import (
    KEY_RE,
    KEY_RULE,
    VALUE_RE,
    VALUE_RULE,
    CriterionInfo,
    Fields,
    TemplateState,
    fields_of,
    required_field,
    text_field,
)
from qa_app.template_format.parser_conditions import read_show_if
from qa_app.template_format.yaml_nodes import is_null, position, shorten, suggestion

SECTION_FIELDS = ("key", "title", "guidance", "judgement", "criteria")
JUDGEMENT_FIELDS = ("question", "scale", "hint", "guidance", "rationale")
OVERALL_FIELDS = (*JUDGEMENT_FIELDS, "limited_by")
CRITERION_FIELDS = (
    "key",
    "question",
    "hint",
    "guidance",
    "type",
    "scale",
    "required",
    "allow_na",
    "weight",
    "rationale",
    "area",
    "findings",
    "show_if",
    "replaces",
    "options",
    "min",
    "max",
)


def read_sections(state: TemplateState, node: Node) -> tuple[Section, ...]:
    """Return the sections read from the ``sections`` list (placeholders where invalid)."""
    items = state.reader.sequence(node, '"sections"')
    if items is None:
        return ()
    if not items:
        state.reader.report(node, '"sections" must list at least one section')
    return tuple(_read_section(state, item) for item in items)


def _read_section(state: TemplateState, node: Node) -> Section:
    fields = fields_of(state, node, "a section", SECTION_FIELDS)
    if fields is None:
        return Section("", "")
    key_node = required_field(state, fields, "key")
    key = None
    if key_node is not None:
        key = state.reader.key(key_node, "section key", KEY_RE, KEY_RULE)
        if key is not None and state.claim(key, key_node):
            state.section_keys.add(key)
    title = text_field(state, fields, "title", required=True)
    guidance = text_field(state, fields, "guidance")
    judgement = None
    judgement_node = fields.get("judgement")
    if judgement_node is not None and not is_null(judgement_node):
        judgement, _ = read_judgement(state, judgement_node, "a section judgement")
    criteria: list[Criterion] = []
    criteria_node = required_field(state, fields, "criteria")
    if criteria_node is not None:
        items = state.reader.sequence(criteria_node, '"criteria"')
        if items is not None and not items:
            state.reader.report(criteria_node, '"criteria" must list at least one criterion')
        for item in items or ():
            criteria.append(_read_criterion(state, item))
    return Section(key or "", title, guidance, tuple(criteria), judgement)


def read_judgement(
    state: TemplateState, node: Node, what: str, *, overall: bool = False
) -> tuple[Judgement, tuple[str, ...]]:
    """Return a judgement and (for the overall judgement) its ``limited_by`` keys."""
    fields = fields_of(state, node, what, OVERALL_FIELDS if overall else JUDGEMENT_FIELDS)
    if fields is None:
        return Judgement("", ""), ()
    question = text_field(state, fields, "question", required=True)
    scale_node = required_field(state, fields, "scale")
    scale = state.scale_reference(scale_node) if scale_node is not None else None
    rule, below = _rationale(state, fields.get("rationale"), scale, scale_node is not None)
    judgement = Judgement(
        question=question,
        scale=scale or "",
        hint=text_field(state, fields, "hint"),
        guidance=text_field(state, fields, "guidance"),
        rationale=rule,  # type: ignore[arg-type]
        rationale_below=below,
    )
    limited_by: list[str] = []
    limits_node = fields.get("limited_by")
    if overall and limits_node is not None and not is_null(limits_node):
        for item in state.reader.sequence(limits_node, '"limited_by"') or ():
            value = state.reader.scalar(item, "a limited_by entry")
            if value is None:
                continue
            if value in limited_by:
                state.reader.report(item, f'"{shorten(value)}" is listed twice in limited_by')
                continue
            limited_by.append(value)
            state.later(lambda v=value, n=item: state.check_limit(v, n))
    return judgement, tuple(limited_by)


def _rationale(
    state: TemplateState, node: Node | None, scale: str | None, has_scale: bool
) -> tuple[str, str | None]:
    """Return (rule, option) for "always", "never" or "below <option>"; ("scale", None) if unset."""
    if node is None or is_null(node):
        return "scale", None
    value = state.reader.text(node, '"rationale"')
    if value is None:
        return "scale", None
    words = value.split()
    if value in ("always", "never"):
        return value, None
    if len(words) == 2 and words[0] == "below":
        if not has_scale:
            state.reader.report(node, '"rationale: below ..." only applies to scale questions')
        elif scale is not None:
            state.later(lambda: state.check_option(scale, words[1], node, f'rationale "{value}"'))
        return "below", words[1]
    state.reader.report(
        node,
        'rationale must be "always", "never" or "below <option>" such as "below good", '
        f'not "{shorten(value)}"',
    )
    return "scale", None


def _read_criterion(state: TemplateState, node: Node) -> Criterion:
    reader = state.reader
    fields = fields_of(state, node, "a criterion", CRITERION_FIELDS)
    if fields is None:
        return Criterion("", "")
    position = len(state.criteria)
    key = None
    key_node = required_field(state, fields, "key")
    if key_node is not None:
        key = reader.key(key_node, "criterion key", KEY_RE, KEY_RULE)
        if key is not None and state.claim(key, key_node):
            state.positions[key] = position
    question = text_field(state, fields, "question", required=True)

    kind: str | None = "scale"
    type_node = fields.get("type")
    if type_node is not None and not is_null(type_node):
        kind = reader.text(type_node, '"type"')
        if kind is not None and kind not in ANSWER_TYPES:
            reader.report(
                type_node,
                f'unknown type "{shorten(kind)}" (types: {", ".join(ANSWER_TYPES)})'
                + suggestion(kind, ANSWER_TYPES),
            )
            kind = None

    scale = None
    scale_node = fields.get("scale")
    if kind == "scale":
        scale_node = required_field(state, fields, "scale")
        if scale_node is not None:
            scale = state.scale_reference(scale_node)
    elif scale_node is not None and kind is not None:
        reader.report(
            fields.key_node("scale"), f'"scale" only applies to scale questions, not {kind}'
        )

    def flag(name: str, default: bool) -> bool:
        value_node = fields.get(name)
        if value_node is None or is_null(value_node):
            return default
        value = reader.boolean(value_node, f'"{name}"')
        return default if value is None else value

    weight = 1.0
    weight_node = fields.get("weight")
    if weight_node is not None and not is_null(weight_node):
        value = reader.number(weight_node, '"weight"', "a number of 0 or more")
        if value is not None and value < 0:
            reader.report(weight_node, '"weight" must be a number of 0 or more')
        elif value is not None:
            weight = value

    rule, below = _rationale(state, fields.get("rationale"), scale, kind in ("scale", None))
    criterion = Criterion(
        key=key or "",
        question=question,
        type=kind or "scale",  # type: ignore[arg-type]
        scale=scale,
        hint=text_field(state, fields, "hint"),
        guidance=text_field(state, fields, "guidance"),
        required=flag("required", True),
        allow_na=flag("allow_na", False),
        weight=weight,
        rationale=rule,  # type: ignore[arg-type]
        rationale_below=below,
        area=_area(state, fields.get("area")),
        findings=_findings(state, fields.get("findings")),
        show_if=read_show_if(state, fields.get("show_if"), position),
        replaces=_replaces(state, fields.get("replaces"), key),
        options=_tag_options(state, fields, kind),
        minimum=_bound(state, fields, "min", kind),
        maximum=_bound(state, fields, "max", kind),
    )
    low, high = criterion.minimum, criterion.maximum
    if low is not None and high is not None and low > high:
        reader.report(fields.get("min"), '"min" must not be more than "max"')
    state.criteria.append(CriterionInfo(criterion, node))
    return criterion


def _area(state: TemplateState, node: Node | None) -> str | None:
    if node is None or is_null(node):
        return None
    area = state.reader.text(node, '"area"')
    if area is not None and area not in INSPECTION_AREAS:
        state.reader.report(
            node,
            f'unknown inspection area "{shorten(area)}" (areas: {", ".join(INSPECTION_AREAS)})'
            + suggestion(area, INSPECTION_AREAS),
        )
        return None
    return area


def _findings(state: TemplateState, node: Node | None) -> tuple[str, ...]:
    if node is None or is_null(node):
        return ()
    keys: list[str] = []
    for item in state.reader.sequence(node, '"findings"') or ():
        value = state.reader.scalar(item, "a finding key")
        if value is None:
            continue
        if value in keys:
            state.reader.report(item, f'finding "{shorten(value)}" is listed twice')
            continue
        keys.append(value)
        state.later(lambda v=value, n=item: state.check_finding(v, n))
    return tuple(keys)


def _replaces(state: TemplateState, node: Node | None, own_key: str | None) -> str | None:
    if node is None or is_null(node):
        return None
    old = state.reader.key(node, '"replaces"', KEY_RE, KEY_RULE)
    if old is None:
        return None
    if old == own_key:
        state.reader.report(node, "a criterion cannot replace itself")
        return None
    state.later(lambda: state.check_replaces(old, node))
    return old


def _tag_options(state: TemplateState, fields: Fields, kind: str | None) -> tuple[TagOption, ...]:
    reader = state.reader
    node = fields.get("options")
    if kind != "tags":
        if node is not None and kind is not None:
            reader.report(
                fields.key_node("options"), f'"options" only applies to tags questions, not {kind}'
            )
        return ()
    if node is None or is_null(node):
        reader.report(
            fields.node if node is None else node,
            'missing "options" (tags questions need a list of options to choose from)',
        )
        return ()
    options: list[TagOption] = []
    seen: dict[str, int] = {}
    items = reader.sequence(node, '"options"')
    if items is not None and not items:
        reader.report(node, '"options" must list at least one option')
    for item in items or ():
        option = fields_of(state, item, "a tag option", ("value", "label"))
        if option is None:
            continue
        value_node = required_field(state, option, "value")
        value = None
        if value_node is not None:
            value = reader.key(value_node, "option value", VALUE_RE, VALUE_RULE)
        if value is not None:
            if value == NOT_APPLICABLE:
                reader.report(
                    value_node,
                    f'"{NOT_APPLICABLE}" is kept for "Not applicable"; choose another value',
                )
            elif value in seen:
                reader.report(
                    value_node,
                    f'duplicate option value "{value}": already used on line {seen[value]}',
                )
            else:
                seen[value] = position(value_node)[0]
        options.append(TagOption(value or "", text_field(state, option, "label", required=True)))
    return tuple(options)


def _bound(state: TemplateState, fields: Fields, name: str, kind: str | None) -> float | None:
    node = fields.get(name)
    if node is None or is_null(node):
        return None
    if kind != "number":
        if kind is not None:
            state.reader.report(
                fields.key_node(name), f'"{name}" only applies to number questions, not {kind}'
            )
        return None
    return state.reader.number(node, f'"{name}"')
