"""configgen's own HOCON reader: Lightbend config's grammar, with positions, and safe.

Unlike pyhocon it never follows includes, never reads the environment, keeps the 1-based line
and column of every key and value, and accepts and rejects what Lightbend config (the parser the
StackState server uses) accepts and rejects.

    doc = parse(text)                # HoconSyntaxError on invalid input, nothing else
    merged = merge(doc)              # duplicate keys and dotted paths merged, nothing resolved
    merged.get(("stackstate", "api")), merged.to_plain(), merged.positions()
"""

from configgen.parsing.hocon.merge import Merged, MergedValue, merge
from configgen.parsing.hocon.model import (
    HBool,
    HConcat,
    HField,
    HInclude,
    HList,
    HNull,
    HNumber,
    HObject,
    HoconDocument,
    HoconSyntaxError,
    HString,
    HSubstitution,
    Value,
    render,
    render_path,
)
from configgen.parsing.hocon.parser import parse

__all__ = [
    "HBool",
    "HConcat",
    "HField",
    "HInclude",
    "HList",
    "HNull",
    "HNumber",
    "HObject",
    "HString",
    "HSubstitution",
    "HoconDocument",
    "HoconSyntaxError",
    "Merged",
    "MergedValue",
    "Value",
    "merge",
    "parse",
    "render",
    "render_path",
]
