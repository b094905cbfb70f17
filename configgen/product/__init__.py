"""Facts about StackState / SUSE Observability that configgen relies on, each in one place.

``profiles`` (chart lines and versions), ``roles``, ``auth`` (login providers), ``auth_secret``
(the keys of the Secret ``fromExternalSecret`` names), ``linux_env`` (the token from an
environment variable), ``paths`` (where the token lives in Helm values and HOCON),
``durations`` (the server's duration grammar), ``helm_scalars`` (what Helm's YAML makes of a
plain scalar), ``quoting`` (how a value is written) and ``tokens`` (what counts as a
placeholder or a weak token).
"""
