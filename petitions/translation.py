"""The petitions' texts in each language (lib/translation.py says how)."""

from lib.translation import translate

from .models import Petition

translate(
    Petition,
    ["title", "summary", "text", "addressed_to", "goal_note", "source_note"],
    m2m_fields=["prisoners", "appeals"],
)
