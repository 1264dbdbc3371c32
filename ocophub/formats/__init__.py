"""The project's date formats per language (settings.FORMAT_MODULE_PATH).

Dates read dd/mm/yyyy in both languages, as Vietnamese documents and OCOP certificates
write them; English pages keep the same order so a date reads the same after the switch.
Use the `date` filter without an argument (`{{ day|date }}`, DATE_FORMAT) or
`django.utils.formats.date_format(day)` in Python, never a hand-written strftime; with
a time, `date_format(moment, "SHORT_DATETIME_FORMAT")` or `|date:"SHORT_DATETIME_FORMAT"`.
What a language does not set here comes from Django's own locale.
"""
