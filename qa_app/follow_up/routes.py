from __future__ import annotations

from flask import Blueprint

bp = Blueprint("follow_up", __name__, template_folder="templates")
