"""``configgen service-token``: service tokens on a running server (check, list, create, delete,
sync), in the vocabulary of ``sts service-token``."""

from configgen.cli.service_token import check, manage, sync  # noqa: F401 - registers the commands
from configgen.cli.service_token.group import service_token

__all__ = ["service_token"]
