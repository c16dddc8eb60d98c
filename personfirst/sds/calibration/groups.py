"""The fixed lists a costed package is described by: age bands, client
groups (the national primary support reason groups) and whether a carer is
present. The CSV uses the codes; pages show the titles."""

from __future__ import annotations

AGE_BANDS: dict[str, str] = {
    "18-24": "Aged 18 to 24",
    "25-64": "Aged 25 to 64",
    "65-74": "Aged 65 to 74",
    "75-84": "Aged 75 to 84",
    "85+": "Aged 85 or over",
}

# The national primary support reason (PSR) groups.
CLIENT_GROUPS: dict[str, str] = {
    "physical": "Physical support",
    "sensory": "Sensory support",
    "memory-cognition": "Support with memory and cognition",
    "learning-disability": "Learning disability support",
    "mental-health": "Mental health support",
    "social": "Social support",
}

CARER: dict[str, str] = {"yes": "A carer is present", "no": "No carer is present"}

# The categories the equity report looks at, in order: (key, title, codes -> titles).
CATEGORIES: tuple[tuple[str, str, dict[str, str]], ...] = (
    ("age_band", "Age band", AGE_BANDS),
    ("client_group", "Client group", CLIENT_GROUPS),
    ("carer_present", "Carer", CARER),
)
