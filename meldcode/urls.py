"""URLs of the Meldcode, mounted at /meldcode/ (namespace `meldcode`): the cases (`case_urls`) and
the Rapportage Meldcode with its yearly bundle (`report_urls`)."""

from . import case_urls, report_urls

app_name = "meldcode"

urlpatterns = [
    *case_urls.urlpatterns,
    *report_urls.urlpatterns,
]
