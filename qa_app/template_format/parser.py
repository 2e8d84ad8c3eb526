"""Reading an audit template's YAML into a :class:`TemplateDefinition`, reporting every problem.

Every problem names the line and column of the key or value it is about, in words a QA officer
can act on. The file format is described in the template format specification.
"""

from __future__ import annotations

import pathlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

import yaml
from yaml.nodes import Node, ScalarNode

from qa_app.template_format.definition import (
    CASE_TYPES,
    NOT_APPLICABLE,
    Scale,
    ScaleOption,
    TemplateDefinition,
)
from qa_app.template_format.emitter import template_to_yaml
from qa_app.template_format.parser_checks import (
    KEY_RE,
    KEY_RULE,
    VALUE_RE,
    VALUE_RULE,
    TemplateState,
)
from qa_app.template_format.parser_sections import read_judgement, read_sections
from qa_app.template_format.problems import Problem
from qa_app.template_format.scales import BUILT_IN_SCALES
from qa_app.template_format.yaml_nodes import (
    NULL_TAG,
    Reader,
    TooMuch,
    is_null,
    position,
    shorten,
    suggestion,
)
from qa_app.template_format.yaml_syntax import explain_yaml_error

__all__ = ["ParseResult", "Problem", "check_template_files", "parse_template", "template_to_yaml"]

TOP_FIELDS = (
    "key",
    "version",
    "title",
    "description",
    "applies_to",
    "look_back_months",
    "findings",
    "scales",
    "sections",
    "overall",
)
SCALE_FIELDS = ("label", "options")
OPTION_FIELDS = ("value", "label", "score", "needs_rationale", "hint")
TEMPLATE_KEY_RE = re.compile(r"[a-z][a-z0-9-]*")
TEMPLATE_KEY_RULE = "only lowercase letters, digits and hyphens, starting with a letter"
FINDING_KEY_RE = re.compile(r"[a-z][a-z0-9_-]*")
FINDING_KEY_RULE = "only lowercase letters, digits, hyphens and underscores, starting with a letter"
_SYNTAX_ADVICE = (
    ("'\\t'", "indent with spaces, not tabs"),
    ("found undefined alias", "an alias (*name) needs an anchor (&name) earlier in the file"),
)
# Real templates are tens of kilobytes; anything this big is not a template.
MAX_TEMPLATE_CHARS = 1_000_000


@dataclass(frozen=True)
class ParseResult:
    """The parsed template (None when there is any problem) and every problem found."""

    definition: TemplateDefinition | None
    problems: tuple[Problem, ...]


def parse_template(text: str, path: str = "<template>") -> ParseResult:
    """Return the definition read from YAML ``text``, or every problem in it with its position.

    ``path`` is only used to label problems. This never raises: anything wrong with the input
    comes back as a :class:`Problem`.
    """
    reader = Reader(path)
    definition = None
    try:
        definition = _parse(reader, text)
    except TooMuch:
        definition = None
    except Exception as error:  # noqa: BLE001 - a template must never crash the caller
        reader.report(None, f"internal error while reading the template ({type(error).__name__})")
    problems = sorted(reader.problems, key=lambda p: (p.line, p.column))
    if reader.final is not None:
        problems.append(reader.final)
    return ParseResult(None if problems else definition, tuple(problems))


def check_template_files(paths: Iterable[pathlib.Path]) -> list[Problem]:
    """Return the problems in every template file (unreadable or non-UTF-8 files included)."""
    problems: list[Problem] = []
    for path in paths:
        try:
            text = pathlib.Path(path).read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            problems.append(
                Problem(str(path), 1, 1, f"the file is not UTF-8 text (byte {error.start + 1})")
            )
            continue
        except OSError as error:
            reason = error.strerror or type(error).__name__
            problems.append(Problem(str(path), 1, 1, f"the file could not be read: {reason}"))
            continue
        problems.extend(parse_template(text, str(path)).problems)
    return problems


def _parse(reader: Reader, text: str) -> TemplateDefinition | None:
    if not isinstance(text, str):
        reader.report(None, "the template must be text")
        return None
    if len(text) > MAX_TEMPLATE_CHARS:
        reader.report(
            None,
            f"the file is too large ({len(text):,} characters; at most {MAX_TEMPLATE_CHARS:,})",
        )
        return None
    root = _compose(reader, text)
    if root is None:
        return None
    return _read_template(reader, root)


def _compose(reader: Reader, text: str) -> Node | None:
    """Return the single document's root node; report syntax errors, empty or extra documents."""
    try:
        loader = yaml.SafeLoader(text)
    except yaml.YAMLError as error:
        _syntax_problem(reader, text, error)
        return None
    try:
        if not loader.check_node():
            reader.report(None, "the file is empty")
            return None
        root = loader.get_node()
        if loader.check_node():
            start = loader.peek_event().start_mark
            line = start.line + 1 if start is not None else 1
            reader.report(
                loader.peek_event(),  # type: ignore[arg-type]
                f"the file holds more than one YAML document (another starts on line {line}); "
                "a template must be a single document",
            )
    except yaml.YAMLError as error:
        _syntax_problem(reader, text, error)
        return None
    except RecursionError:
        reader.report(None, "the file is nested too deeply to be a template")
        return None
    finally:
        loader.dispose()
    if root is None or (isinstance(root, ScalarNode) and root.tag == NULL_TAG):
        reader.report(None, "the file is empty")
        return None
    return root


def _syntax_problem(reader: Reader, text: str, error: yaml.YAMLError) -> None:
    if isinstance(error, yaml.reader.ReaderError):
        index = max(0, min(error.position, len(text)))
        line = text.count("\n", 0, index) + 1
        column = index - (text.rfind("\n", 0, index) + 1) + 1
        reader.problems.append(
            Problem(
                reader.path,
                line,
                column,
                f"YAML syntax error: the character #x{error.character:04x} is not allowed in a "
                "YAML file"
                if isinstance(error.character, int)
                else "YAML syntax error: a character that is not allowed in a YAML file",
            )
        )
        return
    if isinstance(error, yaml.MarkedYAMLError) and (explained := explain_yaml_error(text, error)):
        line, column, message = explained
        reader.problems.append(Problem(reader.path, line, column, message))
        return
    if isinstance(error, yaml.MarkedYAMLError):
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        what = error.problem or error.context or "the file is not valid YAML"
        if error.context and error.problem:
            start = error.context_mark
            where = f" on line {start.line + 1}" if start is not None else ""
            what += f" ({error.context}{where})"
        for clue, advice in _SYNTAX_ADVICE:
            if clue in what:
                what += f"; {advice}"
        reader.problems.append(Problem(reader.path, line, column, f"YAML syntax error: {what}"))
        return
    reader.problems.append(Problem(reader.path, 1, 1, f"YAML syntax error: {shorten(str(error))}"))


def _read_template(reader: Reader, root: Node) -> TemplateDefinition | None:
    entries = reader.mapping(root, "the template", TOP_FIELDS)
    if entries is None:
        return None
    state = TemplateState(reader)

    def value(name: str) -> Node | None:
        entry = entries.get(name)
        return None if entry is None else entry[1]

    def required(name: str) -> Node | None:
        node = value(name)
        if node is None:
            reader.report(root, f'missing "{name}"')
        return node

    key = version = title = None
    if (node := required("key")) is not None:
        key = reader.key(node, "template key", TEMPLATE_KEY_RE, TEMPLATE_KEY_RULE)
    if (node := required("version")) is not None:
        version = reader.integer(node, '"version"')
    if (node := required("title")) is not None:
        title = reader.text(node, '"title"', required=True)
    description = ""
    if (node := value("description")) is not None:
        description = reader.text(node, '"description"') or ""
    applies_to = _applies_to(reader, value("applies_to"))
    look_back = None
    if (node := value("look_back_months")) is not None and not is_null(node):
        look_back = reader.integer(node, '"look_back_months"')
    if (node := value("findings")) is not None and not is_null(node):
        state.findings.update(_findings(reader, node))
    scales: dict[str, Scale] = {}
    if (node := value("scales")) is not None and not is_null(node):
        scales = _scales(state, node)
    sections = ()
    if (node := required("sections")) is not None:
        sections = read_sections(state, node)
    overall, limited_by = None, ()
    if (node := required("overall")) is not None:
        overall, limited_by = read_judgement(state, node, '"overall"', overall=True)
    state.run_checks()

    if reader.problems or overall is None or key is None or version is None or title is None:
        return None
    for name in state.used_scales:
        if name not in scales:
            scales[name] = BUILT_IN_SCALES[name]
    return TemplateDefinition(
        key=key,
        version=version,
        title=title,
        description=description,
        sections=sections,
        overall=overall,
        scales=scales,
        findings=state.findings,
        applies_to=applies_to,
        look_back_months=look_back,
        limited_by=limited_by,
    )


def _applies_to(reader: Reader, node: Node | None) -> tuple[str, ...]:
    if node is None or is_null(node):
        return ()
    keys: list[str] = []
    for item in reader.sequence(node, '"applies_to"') or ():
        case_type = reader.scalar(item, "a case type")
        if case_type is None:
            continue
        if case_type not in CASE_TYPES:
            reader.report(
                item,
                f'unknown case type "{shorten(case_type)}" (case types: {", ".join(CASE_TYPES)})'
                + suggestion(case_type, CASE_TYPES),
            )
        elif case_type in keys:
            reader.report(item, f'case type "{case_type}" is listed twice')
        else:
            keys.append(case_type)
    return tuple(keys)


def _findings(reader: Reader, node: Node) -> dict[str, str]:
    findings: dict[str, str] = {}
    for name, (key_node, value_node) in (reader.mapping(node, '"findings"') or {}).items():
        key = reader.key(key_node, "finding key", FINDING_KEY_RE, FINDING_KEY_RULE)
        wording = reader.text(
            value_node, f'the wording of finding "{shorten(name)}"', required=True
        )
        if key is not None:
            findings[key] = wording or ""
    return findings


def _scales(state: TemplateState, node: Node) -> dict[str, Scale]:
    reader = state.reader
    scales: dict[str, Scale] = {}
    for name, (key_node, value_node) in (reader.mapping(node, '"scales"') or {}).items():
        key = reader.key(key_node, "scale key", KEY_RE, KEY_RULE)
        if key in BUILT_IN_SCALES:
            reader.report(key_node, f'"{key}" is a built-in scale: give your own scale another key')
            key = None
        fields = reader.mapping(value_node, f'scale "{shorten(name)}"', SCALE_FIELDS)
        if fields is None:
            if key is not None:
                state.custom_scales[key] = ()
            continue
        label = ""
        if "label" not in fields:
            reader.report(value_node, 'missing "label"')
        else:
            label = reader.text(fields["label"][1], '"label"', required=True) or ""
        options = _scale_options(reader, value_node, fields, shorten(str(name)))
        if key is not None:
            state.custom_scales[key] = tuple(option.value for option in options)
            scales[key] = Scale(key, label, options)
    return scales


def _option_name(value: Node | None, label: Node | None) -> str:
    """Return how a problem names a scale option: by its value, else its label, else as unnamed."""
    for node in (value, label):
        if isinstance(node, ScalarNode) and str(node.value).strip():
            return f'"{shorten(str(node.value))}"'
    return "(with no value or label)"


def _scale_options(
    reader: Reader, scale_node: Node, fields: dict[str, tuple[ScalarNode, Node]], scale_name: str
) -> tuple[ScaleOption, ...]:
    if "options" not in fields:
        reader.report(scale_node, 'missing "options"')
        return ()
    node = fields["options"][1]
    items = reader.sequence(node, '"options"')
    if items is None:
        return ()
    if len(items) < 2:
        reader.report(node, "a scale needs at least 2 options")
    options: list[ScaleOption] = []
    seen: dict[str, int] = {}
    for item in items:
        option = reader.mapping(item, "a scale option", OPTION_FIELDS)
        if option is None:
            continue

        def get(name: str, option: dict[str, tuple[ScalarNode, Node]] = option) -> Node | None:
            entry = option.get(name)
            return None if entry is None else entry[1]

        value, label, score = "", "", 0.0
        named = _option_name(get("value"), get("label"))
        for name in ("value", "label", "score"):
            if get(name) is None:
                what = f'the option {named} of scale "{scale_name}"'
                if name == "score":
                    reader.report(
                        item,
                        f'{what} has no "score": add a score between 0 and 1 (for example '
                        "score: 1 for the best grade and score: 0 for the worst)",
                    )
                else:
                    reader.report(item, f'missing "{name}" in {what}')
        if (node := get("value")) is not None:
            value = reader.key(node, "option value", VALUE_RE, VALUE_RULE) or ""
            if value == NOT_APPLICABLE:
                reader.report(
                    node,
                    f'"{NOT_APPLICABLE}" is kept for "Not applicable": use allow_na on criteria',
                )
            elif value in seen:
                reader.report(
                    node, f'duplicate option value "{value}": already used on line {seen[value]}'
                )
            elif value:
                seen[value] = position(node)[0]
        if (node := get("label")) is not None:
            label = reader.text(node, '"label"', required=True) or ""
        if (node := get("score")) is not None:
            rule = "a number between 0 and 1"
            number = reader.number(node, "score", rule)
            if number is not None and not 0 <= number <= 1:
                reader.report(node, f"score must be {rule}")
            score = number if number is not None else 0.0
        needs = False
        if (node := get("needs_rationale")) is not None and not is_null(node):
            needs = bool(reader.boolean(node, '"needs_rationale"'))
        hint = ""
        if (node := get("hint")) is not None:
            hint = reader.text(node, '"hint"') or ""
        options.append(ScaleOption(value, label, score, needs, hint))
    return tuple(options)
