"""Arabic (Morocco): ``6 دجنبر 2026``, ``06/12/2026 14:09`` — Western digits, day first, the
month names of Morocco (the catalogue), a 24-hour clock (ADR 0028)."""

from sharaka.core.money import STYLES

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y، H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
FIRST_DAY_OF_WEEK = 1
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
]
DECIMAL_SEPARATOR = STYLES["ar"].decimal
THOUSAND_SEPARATOR = STYLES["ar"].group
NUMBER_GROUPING = 3
