from __future__ import annotations

from flask import Blueprint

bp = Blueprint("template_admin", __name__, url_prefix="/templates", template_folder="templates")
