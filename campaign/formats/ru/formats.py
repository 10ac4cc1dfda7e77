# 16 декабря 2011 г.; the rest as Django's Russian formats.
DATE_FORMAT = "j E Y г."
YEAR_MONTH_FORMAT = "F Y г."
MONTH_DAY_FORMAT = "j M"
DATETIME_FORMAT = "j E Y г., H:i"
SHORT_DATE_FORMAT = "d.m.Y"
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"  # non-breaking space
NUMBER_GROUPING = 3
