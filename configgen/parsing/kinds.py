"""The two kinds of file configgen reads and writes, and how a file name implies its kind.

``helm``: Helm values (YAML, read by the chart); ``hocon``: the server's configuration
(``application_stackstate.conf``, read by Lightbend config).  The render targets ``kubernetes``
and ``linux`` are the platforms these kinds are written for (``configgen.render.targets``).
"""

from __future__ import annotations

import os.path

HELM = "helm"
HOCON = "hocon"
KINDS = (HELM, HOCON)
EXTENSIONS = {".yaml": HELM, ".yml": HELM, ".conf": HOCON, ".hocon": HOCON}


def kind_for(name: str) -> str | None:
    """The kind a file name implies (``None`` when it says nothing)."""
    return EXTENSIONS.get(os.path.splitext(name)[1].lower())
