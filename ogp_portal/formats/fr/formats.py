# As Django's French formats, with the time zone shown next to times.
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "d/m/Y"
DATETIME_FORMAT = "j F Y H:i T"
SHORT_DATETIME_FORMAT = "d/m/Y H:i T"
TIME_FORMAT = "H:i"
