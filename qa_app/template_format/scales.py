"""The scales every template can use without declaring them."""

from __future__ import annotations

from qa_app.template_format.definition import Scale, ScaleOption


def _scaling_options() -> tuple[ScaleOption, ...]:
    """Return the Signs of Safety scaling options, 10 (safe enough) down to 0."""
    labels = {
        10: "10 - safe enough / good",
        0: "0 - not safe: the child will be harmed unless something changes",
    }
    return tuple(
        ScaleOption(
            value=str(n),
            label=labels.get(n, str(n)),
            score=n / 10,
            needs_rationale=n <= 3,
        )
        for n in range(10, -1, -1)
    )


BUILT_IN_SCALES: dict[str, Scale] = {
    "ofsted": Scale(
        key="ofsted",
        label="Ofsted judgement",
        options=(
            ScaleOption("outstanding", "Outstanding", 1.0),
            ScaleOption("good", "Good", 2 / 3),
            ScaleOption(
                "requires_improvement",
                "Requires improvement to be good",
                1 / 3,
                needs_rationale=True,
            ),
            ScaleOption("inadequate", "Inadequate", 0.0, needs_rationale=True),
        ),
    ),
    "yes_partly_no": Scale(
        key="yes_partly_no",
        label="Yes / partly / no",
        options=(
            ScaleOption("yes", "Yes", 1.0),
            ScaleOption("partly", "Partly", 0.5, needs_rationale=True),
            ScaleOption("no", "No", 0.0, needs_rationale=True),
        ),
    ),
    "yes_no": Scale(
        key="yes_no",
        label="Yes / no",
        options=(
            ScaleOption("yes", "Yes", 1.0),
            ScaleOption("no", "No", 0.0, needs_rationale=True),
        ),
    ),
    "scaling_0_10": Scale(
        key="scaling_0_10",
        label="Scaling question (0 to 10)",
        options=_scaling_options(),
    ),
}
