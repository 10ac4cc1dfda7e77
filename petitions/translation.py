"""The petitions' texts in each language (lib/translation.py says how)."""

from lib.translation import translate

from .models import DELIVERY_TEXTS, Petition

translate(
    Petition,
    # The hand-over's texts too: a Russian page names the recipient in Russian.
    ["title", "summary", "text", "addressed_to", "goal_note", "source_note", *DELIVERY_TEXTS],
    m2m_fields=["prisoners", "appeals"],
)
