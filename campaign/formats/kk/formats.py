# Year first, month in lower case: 2011 ж. 16 желтоқсан. Django has no Kazakh formats.
DATE_FORMAT = "Y ж. j E"
YEAR_MONTH_FORMAT = "Y ж. F"
MONTH_DAY_FORMAT = "j M"
DATETIME_FORMAT = "Y ж. j E, H:i"
SHORT_DATE_FORMAT = "d.m.Y"
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"  # non-breaking space
NUMBER_GROUPING = 3
