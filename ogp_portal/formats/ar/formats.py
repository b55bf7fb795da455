# Arabic: day, month name, year (Django's own Arabic module), 24-hour times with their zone so
# a moment never reads differently on two pages. Digits stay Western Arabic (0-9), as most
# Arabic-speaking governments publish them; the decimal and thousands separators are Arabic.
DATE_FORMAT = "j F، Y"
SHORT_DATE_FORMAT = "d/m/Y"
DATETIME_FORMAT = "j F، Y، H:i T"
SHORT_DATETIME_FORMAT = "d/m/Y H:i T"
TIME_FORMAT = "H:i"
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
