from __future__ import annotations

from flask import Blueprint

bp = Blueprint("cases", __name__, url_prefix="/admin/cases", template_folder="templates")
