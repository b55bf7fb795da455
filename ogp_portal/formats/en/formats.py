# Unambiguous dates for an international audience (not the US month/day order), and times
# in 24-hour form with their zone, so the same moment never reads differently on two pages.
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "j F Y, H:i T"
SHORT_DATETIME_FORMAT = "Y-m-d H:i T"
TIME_FORMAT = "H:i"
