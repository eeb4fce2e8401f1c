"""Pure rules shared by every app: no Django, nothing else of sharaka (ADR 0018).

``allocate`` (share a surplus or a deficit to the minor unit), ``deadline`` (a due date in
working or calendar days) and ``progress`` (an indicator against its target), behind
``sharaka rules allocate|deadline|progress`` (contract: rules-cli.md). They live in core, the
one layer that the lifecycle, finance, planning and the transparency work can all import.
"""
