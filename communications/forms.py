"""Forms of the letter-template pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .domain.kinds import LetterKind
from .services import block_field


class TemplateForm(forms.Form):
    """One textarea per editable block of the kind, and a note on what changed."""

    note = forms.CharField(
        label=_("What did you change, and why?"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )

    def __init__(self, *args: Any, kind: LetterKind, texts: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        note = self.fields.pop("note")
        for block in kind.editable_blocks:
            self.fields[block_field(block.code)] = forms.CharField(
                label=block.title,
                required=False,
                initial=texts.get(block.code, block.text),
                max_length=8000,
                strip=False,
                widget=forms.Textarea(attrs={"rows": 6, "class": "form-control font-monospace"}),
            )
        self.fields["note"] = note

    def block_texts(self) -> dict[str, str]:
        return {
            block.code: self.cleaned_data.get(block_field(block.code)) or ""
            for block in self.kind.editable_blocks
        }


class ReviewForm(forms.Form):
    reviewer_name = forms.CharField(
        label=_("Reviewed by (name and capacity)"),
        help_text=_("For example: mr. A. de Wit, lawyer for education law."),
        max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )
    confirm = forms.BooleanField(
        label=_(
            "This exact version has been checked for legal correctness and may be used for letters that are sent."
        ),
    )
