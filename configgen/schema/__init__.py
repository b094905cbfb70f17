"""JSON Schema checks of parsed data: ``validate`` (the façade, with safe messages) and ``subset``
(configgen's small, fast validator for the keywords its shipped schemas use)."""
