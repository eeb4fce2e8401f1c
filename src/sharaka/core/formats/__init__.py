"""Date and number formats of the three interface languages (``FORMAT_MODULE_PATH``).

Morocco writes dates day-month-year in every language, with a 24-hour clock: Django's own
English and Arabic formats are month-first and 12-hour ("12/06/2026 2:09 م"), so each
language states its formats here (ADR 0028). The numbers follow ``core.money``'s styles, so
``floatformat:"2g"`` and ``core.money`` group digits the same way.
"""
