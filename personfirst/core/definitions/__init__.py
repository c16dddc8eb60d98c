"""Definition files and the item types they are made of (pillar-neutral).

- ``files``: reading a definition file as strict YAML and reporting every
  problem as ``FILE:LINE: message`` (instruments, action libraries, the
  crosswalk, and the formats to come use it);
- ``items``: the item-type registry: one class per kind of question, which
  knows how it is checked, answered, placed on a scale, scored and put into
  words;
- ``ladder``, ``rating``, ``context`` (asked, never scored): the item types any pillar may use. Importing this
  package registers them; a pillar registers its own types (readiness:
  ``milestones``).
"""

from . import context, ladder, rating  # noqa: F401 (registers the types)
