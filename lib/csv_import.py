"""Importing rows from a CSV file in the admin: upload, a preview with each row's errors,
then confirm. The file's text travels in a hidden field between the two steps, so nothing is
saved until every row is right. The embassy directory and paper batches use it."""

from django import forms
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _


class CsvUploadForm(forms.Form):
    file = forms.FileField(label=_("CSV file"), required=False)
    csv_text = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, help_text="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = help_text

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload:
            if upload.size > 2_000_000:
                raise forms.ValidationError(_("The file is too large (2 MB at most)."))
            raw = upload.read()
            try:
                cleaned["csv_text"] = raw.decode("utf-8-sig")
            except UnicodeDecodeError as error:
                raise forms.ValidationError(_("The file is not UTF-8 text. Save it as “CSV UTF-8”.")) from error
        if not cleaned.get("csv_text"):
            raise forms.ValidationError(_("Choose a CSV file."))
        return cleaned


def csv_import_view(request, model_admin, *, parse, save, saved, template, title, help_text, max_rows, context=None):
    """The admin page of one import. `parse(text)` checks a file and returns (rows,
    file_errors), each row with `.errors` and `.duplicate`; `save(text)` saves a checked file, all rows or
    none, and returns (result, rows), result falsy when nothing was saved; `saved(result)`
    answers once it was (a redirect with a message)."""
    rows, file_errors, refused = None, [], False
    form = CsvUploadForm(help_text=help_text)
    if request.method == "POST":
        form = CsvUploadForm(request.POST, request.FILES, help_text=help_text)
        if form.is_valid():
            text = form.cleaned_data["csv_text"]
            if "confirm" in request.POST:
                result, rows = save(text)
                if result:
                    return saved(result)
                refused = True  # the file changed under us, or rows were added meanwhile
            rows, file_errors = parse(text)
            form = CsvUploadForm(initial={"csv_text": text}, help_text=help_text)
    has_errors = bool(rows) and any(row.errors for row in rows)
    too_many = bool(rows) and len(rows) > max_rows
    page = model_admin.admin_site.each_context(request) | {
        "opts": model_admin.model._meta,
        "title": title,
        "form": form,
        "rows": rows,
        "file_errors": file_errors,
        "has_errors": has_errors or refused,
        "can_import": bool(rows) and not has_errors and not too_many,
        "duplicates": sum(bool(row.duplicate) for row in rows or []),
    }
    return TemplateResponse(request, template, page | (context or {}), status=400 if has_errors else 200)
