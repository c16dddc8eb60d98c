"""Area insight holds counts, never people (see personfirst/core/privacy.py)."""

from personfirst.core import privacy

privacy.holds_none("insight.Snapshot", "A publication plan: which groups of organisations' counts may be shown.")
