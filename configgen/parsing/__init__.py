"""Reading files as the real consumers read them, with positions and within limits.

``sources`` (bounded, decoded input), ``helm_yaml`` (YAML as Helm reads values), ``hocon`` (HOCON
as Lightbend reads it, configgen's own parser), ``pyhocon_safe`` (pyhocon with includes and the
environment shut off: render's independent read-back) and ``documents`` (one view of a parsed
file for the lint rules).
"""
