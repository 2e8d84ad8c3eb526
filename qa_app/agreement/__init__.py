"""Agreement between two people grading the same things on an ordinal scale (pure: no Flask,
no database). See ``statistics.py``."""

from qa_app.agreement.statistics import (
    AgreementFigures,
    ConfusionTable,
    KappaEstimate,
    agreement_figures,
    table_from_pairs,
    weighted_kappa,
)

__all__ = [
    "AgreementFigures",
    "ConfusionTable",
    "KappaEstimate",
    "agreement_figures",
    "table_from_pairs",
    "weighted_kappa",
]
