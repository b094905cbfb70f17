"""Service tokens on a running server: check, list, create, delete and sync declared tokens.

Layers, one way: ``check``, ``tokens``, ``sync`` and ``declared`` (the use cases) use ``client``
(HTTP, the only module that touches the network) and ``context`` / ``stsconfig`` (where the
server and the token come from).  Nothing here prints or exits: functions return values or raise
the typed errors of ``errors``; ``configgen.cli.service_token`` turns them into output and exit
codes.  Nothing here imports ``configgen.cli``, and nothing on the ``configgen lint`` path imports
this package.
"""
